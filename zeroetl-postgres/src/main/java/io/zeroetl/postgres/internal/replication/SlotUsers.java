package io.zeroetl.postgres.internal.replication;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Who streams a replication slot: named in a message, and ended when it is a stale zeroetl instance. */
final class SlotUsers {
    private static final Logger LOG = LoggerFactory.getLogger(SlotUsers.class);

    private final MetadataConnection metadata;

    SlotUsers(MetadataConnection metadata) {
        this.metadata = metadata;
    }

    /**
     * This instance holds the pipeline's lease, yet the slot is in use: by the WAL sender of the instance that
     * held the lease before (paused or cut off; the server has not yet noticed). Ends that WAL sender when it is
     * zeroetl's (the application name says so) and returns whether it did; another program's is left alone.
     */
    boolean endStale(String slot) {
        try {
            return metadata.call(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT s.active_pid, pg_terminate_backend(s.active_pid)"
                        + " FROM pg_replication_slots s JOIN pg_stat_activity a ON a.pid = s.active_pid"
                        + " WHERE s.slot_name = ? AND a.application_name = 'zeroetl'")) {
                    ps.setString(1, slot);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || !rs.getBoolean(2)) {
                            return false;
                        }
                        LOG.warn(
                                "Slot {} was still streamed by server process {} of an instance that lost the lease:"
                                        + " ended it",
                                slot,
                                rs.getInt(1));
                    }
                }
                // the slot is released when that process has exited
                for (int i = 0; i < 100; i++) {
                    try (PreparedStatement ps =
                            c.prepareStatement("SELECT active FROM pg_replication_slots" + " WHERE slot_name = ?")) {
                        ps.setString(1, slot);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next() || !rs.getBoolean(1)) {
                                return true;
                            }
                        }
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return true;
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not end the stale holder of slot {}: {}", slot, e.getMessage());
            return false;
        }
    }

    /** Who holds {@code slot} (process, application, client address), best effort; empty if unknown. */
    String describe(String slot) {
        try {
            return metadata.call(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT a.pid, a.application_name,"
                        + " host(a.client_addr) FROM pg_replication_slots s JOIN pg_stat_activity a"
                        + " ON a.pid = s.active_pid WHERE s.slot_name = ?")) {
                    ps.setString(1, slot);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next()
                                ? " (server process " + rs.getInt(1) + ", application '" + rs.getString(2)
                                        + "', client " + (rs.getString(3) == null ? "local" : rs.getString(3)) + ")"
                                : "";
                    }
                }
            });
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * Says that {@code slot} is not kept by standbys (before PostgreSQL 17, no failover slots): a warning where
     * it matters, when the source streams to physical standbys it could fail over to; else an INFO line.
     */
    void noteNoFailover(String slot, int serverVersion) {
        boolean standbys = "true"
                .equals(metadata.call(c -> SourceSetup.single(
                        c,
                        "SELECT (count(*) > 0)::text FROM pg_stat_replication r WHERE NOT EXISTS (SELECT 1 FROM"
                                + " pg_replication_slots s WHERE s.active_pid = r.pid AND s.slot_type = 'logical')")));
        String text = "Slot {} is not kept by standbys (PostgreSQL {} has no failover slots; 17 and later do): should"
                + " the source fail over to a standby, the slot is lost there and the tables are copied again"
                + " (or, with resyncWhenSlotLost(false), the pipeline fails saying so)";
        if (standbys) {
            LOG.warn(text, slot, serverVersion / 10000);
        } else {
            LOG.info(text, slot, serverVersion / 10000);
        }
    }
}

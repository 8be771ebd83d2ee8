package io.zeroetl.postgres.internal.replication;

import io.zeroetl.postgres.internal.PgErrors;
import io.zeroetl.spi.SourceLease;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The lease on a PostgreSQL source: a session-level advisory lock, held by a session of its own. PostgreSQL
 * frees it when that session ends, so a holder that closes or dies hands over at once, and a holder that goes
 * silent (paused, cut off) loses it after the failover timeout: the session is ended by the server's
 * {@code idle_session_timeout} (PostgreSQL 14+; set for this session only) and, for a peer that is gone, by TCP
 * keepalives; the holder renews by running a query four times per timeout. Advisory locks need no privilege
 * and touch no table, so the source's own writes never wait for them.
 *
 * <p>The lock's key is one 64-bit number, the first eight bytes of SHA-256 over "zeroetl lease " and the slot's
 * name: two pipelines, or a pipeline and an application's own advisory locks, meet on one key with a chance of
 * about one in 2^64 per pair. The session's application name says whose lease it is.
 */
final class PgLease implements SourceLease {
    private final Connections connections;
    private final String slot;
    private final long key;
    private final Duration failoverTimeout;
    private Connection session;
    private boolean held;

    PgLease(Connections connections, String slot, Duration failoverTimeout) {
        this.connections = connections;
        this.slot = slot;
        this.key = key(slot);
        this.failoverTimeout = failoverTimeout;
    }

    /** The lock's key for {@code slot}: stable across JVMs and versions. */
    static long key(String slot) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("zeroetl lease " + slot).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public synchronized boolean tryAcquire() {
        if (held) {
            return true;
        }
        try {
            Connection c = session();
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    held = rs.getBoolean(1);
                }
            }
            return held;
        } catch (SQLException e) {
            drop();
            throw PgErrors.classify("asking the source for the pipeline's lease", e);
        }
    }

    @Override
    public synchronized boolean renew() {
        if (!held || session == null) {
            return false;
        }
        try (PreparedStatement ps = session.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND pid = pg_backend_pid() AND classid = ? AND objid = ? AND objsubid = 1 AND granted")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFF_FFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 1) {
                    return true;
                }
            }
        } catch (SQLException e) {
            // the session is gone: so is the lock
        }
        drop();
        return false;
    }

    @Override
    public boolean exclusive() {
        return true;
    }

    @Override
    public Duration renewInterval() {
        return failoverTimeout.dividedBy(4);
    }

    @Override
    public synchronized String holder() {
        try (PreparedStatement ps = session()
                .prepareStatement("SELECT a.pid, host(a.client_addr), a.backend_start,"
                        + " a.application_name"
                        + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                        + " AND l.classid = ? AND l.objid = ? AND l.objsubid = 1 AND l.granted")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFF_FFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? "'" + rs.getString(4) + "', source session " + rs.getInt(1) + " from "
                                + (rs.getString(2) == null ? "a local socket" : rs.getString(2))
                                + ", its lease session opened at "
                                + rs.getTimestamp(3).toInstant()
                        : "";
            }
        } catch (SQLException | RuntimeException e) {
            return "";
        }
    }

    /** Whether this instance holds the lease (as far as it knows, without asking). */
    synchronized boolean held() {
        return held;
    }

    /**
     * Gives the lock back before the session ends: the server frees a closed session's locks only as its
     * process exits, a moment after the client has gone, so an explicit unlock is what lets the next instance
     * take the lease the moment this one closes.
     */
    @Override
    public synchronized void close() {
        if (held && session != null) {
            try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                ps.executeQuery().close();
            } catch (SQLException e) {
                // the session is broken: ending it frees the lock as well
            }
        }
        drop();
    }

    private Connection session() throws SQLException {
        if (session == null) {
            Connection c = connections.regular();
            try {
                int timeoutMillis = Math.toIntExact(failoverTimeout.toMillis());
                // a query that hangs (the source cut off) fails instead of holding the renewal up
                c.setNetworkTimeout(Runnable::run, timeoutMillis);
                try (PreparedStatement name = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                    name.setString(1, "zeroetl lease " + slot);
                    name.executeQuery().close();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("SET tcp_keepalives_idle = " + Math.max(1, timeoutMillis / 3000));
                    s.execute("SET tcp_keepalives_interval = 1");
                    s.execute("SET tcp_keepalives_count = 3");
                    if (c.getMetaData().getDatabaseMajorVersion() >= 14) {
                        s.execute("SET idle_session_timeout = " + timeoutMillis);
                    }
                }
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            session = c;
        }
        return session;
    }

    private void drop() {
        held = false;
        Connection c = session;
        session = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing a broken session: nothing more to release
            }
        }
    }
}

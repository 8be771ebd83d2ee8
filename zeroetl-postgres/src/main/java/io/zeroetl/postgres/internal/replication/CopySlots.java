package io.zeroetl.postgres.internal.replication;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.postgres.internal.PgErrors;
import io.zeroetl.postgres.internal.snapshot.CopyPlan;
import io.zeroetl.postgres.internal.snapshot.CopyResumption;
import io.zeroetl.postgres.internal.snapshot.SnapshotStream;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slots whose exported snapshot a copy reads: the pipeline's own (the initial copy) and temporary ones for the
 * copies a running stream serves (a table copied again, copies resumed), each gone with its connection.
 */
final class CopySlots {
    private static final Logger LOG = LoggerFactory.getLogger(CopySlots.class);

    /** A slot just created with an exported snapshot, valid while its connection stays open and idle. */
    record Exported(Connection connection, Lsn point, String snapshot) {}

    private final Connections connections;
    private final int parallelism;
    private final long blocksPerChunk;
    private final PgTypes types;

    CopySlots(Connections connections, int parallelism, long blocksPerChunk, PgTypes types) {
        this.connections = connections;
        this.parallelism = parallelism;
        this.blocksPerChunk = blocksPerChunk;
        this.types = types;
    }

    /**
     * Creates a slot exporting its snapshot; {@code failover} (PostgreSQL 17+): the slot is one a standby
     * configured with {@code sync_replication_slots} keeps in step, so it survives a promotion.
     */
    Exported create(String name, boolean temporary, boolean failover) {
        Connection export = null;
        try {
            export = connections.replication();
            try (Statement s = export.createStatement();
                    ResultSet rs = s.executeQuery("CREATE_REPLICATION_SLOT " + SourceSetup.quote(name)
                            + (temporary ? " TEMPORARY" : "") + " LOGICAL pgoutput"
                            + (failover ? " (SNAPSHOT 'export', FAILOVER true)" : " EXPORT_SNAPSHOT"))) {
                rs.next();
                return new Exported(export, Lsn.parse(rs.getString("consistent_point")), rs.getString("snapshot_name"));
            }
        } catch (SQLException e) {
            closeQuietly(export);
            throw PgErrors.classify("creating replication slot " + name, e);
        } catch (RuntimeException e) {
            closeQuietly(export);
            throw e;
        }
    }

    /** A copy of {@code tables} in {@code slot}'s snapshot, whole and in one transaction. */
    CopyPlan plan(Exported slot, List<TableId> tables, SourceSetup.Result setup) {
        return new CopyPlan(
                connections,
                slot.connection(),
                slot.snapshot(),
                slot.point(),
                tables,
                parallelism,
                blocksPerChunk,
                setup.serverVersion() >= 140000,
                types,
                setup.publishesGenerated(),
                setup.sqlAscii());
    }

    /** Prepares a copy of {@code table} in the snapshot of a new temporary slot. */
    PgWalStream.Copy copy(TableId table, SourceSetup.Result setup) {
        Exported slot = temporary();
        LOG.info("Copying {} again in snapshot {}; it takes effect at {}", table, slot.snapshot(), slot.point());
        return new PgWalStream.Copy(
                new SnapshotStream(plan(slot, List.of(table), setup), null, Map.of()), slot.point());
    }

    /**
     * Prepares the copies {@code resumption} resumes, in parts, in the snapshot of a new temporary slot: each
     * after its last committed part, or whole where it changed since.
     */
    PgWalStream.Copy resume(CopyResumption resumption, SourceSetup.Result setup) {
        Exported slot = temporary();
        resumption.copyAt(slot.point());
        LOG.info(
                "Resuming the copies of {} in snapshot {}; they take effect at {}",
                resumption.progress().keySet(),
                slot.snapshot(),
                slot.point());
        CopyPlan plan = plan(slot, List.copyOf(resumption.progress().keySet()), setup)
                .resuming(resumption.progress(), resumption::changedSince, resumption::changedKeys);
        return new PgWalStream.Copy(new SnapshotStream(plan, null, Map.of()), slot.point());
    }

    private Exported temporary() {
        return create("zeroetl_copy_" + Long.toHexString(System.nanoTime()), true, false);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a failed replication connection", e);
            }
        }
    }
}

package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.ErrorCode;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The locks that keep a copy's tables whole while it reads them. TRUNCATE and the ALTER TABLE forms that rewrite
 * a table (a column's type, a volatile default), VACUUM FULL and CLUSTER are not MVCC-safe: a transaction whose
 * snapshot is older than them sees the table empty. So the copy's first connection locks every table it copies
 * ({@code ACCESS SHARE}, which only those commands wait for) while it describes them. A connection ends its
 * transaction, and lets its locks go, when it has no task left (a command waiting for them must not wait for the
 * rest of the copy); so every connection locks a table itself before it reads it, without waiting, and checks
 * that none of those commands came in since the snapshot: a file node the snapshot's own view of {@code pg_class}
 * does not have. A command queued behind the copy's locks would run as soon as they go; one that ran shows in the
 * file node. Either way the copy starts over, with a new snapshot, rather than read a table as empty.
 */
final class CopyLocks {
    /** PostgreSQL's lock_not_available: NOWAIT found the lock taken or asked for. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** The longest a copy's read waits for a lock. */
    static final String MAX_WAIT = "10s";

    private CopyLocks() {}

    /**
     * Bounds every lock wait of a copy's reading connection {@code c}: a worker that waits for its next rows to be
     * taken keeps its locks, and a read behind a command that waits for one of them (a REINDEX of an index that
     * worker's plan holds) would never end, so after {@link #MAX_WAIT} the read fails and the copy starts over.
     */
    static void boundWaits(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '" + MAX_WAIT + "'");
        }
    }

    /** Locks {@code tables} on {@code c}, waiting for a command that holds them (it then shows in the file node). */
    static void lockAll(Connection c, List<TableId> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        try (Statement s = c.createStatement()) {
            // DDL resolves names against the current catalog, not the snapshot: hold it off while describing
            s.execute("LOCK TABLE "
                    + String.join(", ", tables.stream().map(TableId::quoted).toList()) + " IN ACCESS SHARE MODE");
        }
    }

    /**
     * Locks {@code table} on a connection of the copy about to read it, without waiting, and checks it was not
     * rewritten since the snapshot; a command waiting for the lock, or one that ran, makes the copy start over.
     */
    static void lockBeforeReading(Connection c, TableId table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + table.quoted() + " IN ACCESS SHARE MODE NOWAIT");
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new RetriableException(
                        ErrorCode.CONNECTION,
                        table + " has a command waiting to rewrite or lock it (ALTER TABLE, TRUNCATE, VACUUM FULL,"
                                + " CLUSTER) that would make the copy see it empty; the copy starts over with a new"
                                + " snapshot once it ran",
                        e);
            }
            throw e;
        }
        checkNotRewritten(c, table);
    }

    private static void checkNotRewritten(Connection c, TableId table) throws SQLException {
        // a partitioned table has no file of its own: its partitions' files are what a TRUNCATE of one replaces
        try (PreparedStatement ps = c.prepareStatement("SELECT bool_or(cl.relfilenode <> pg_relation_filenode(cl.oid))"
                + " FROM pg_class cl WHERE cl.oid = to_regclass(?) OR cl.oid IN (SELECT t.relid FROM"
                + " pg_partition_tree(to_regclass(?)) t WHERE t.isleaf)")) {
            ps.setString(1, table.quoted());
            ps.setString(2, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    throw new RetriableException(
                            ErrorCode.CONNECTION,
                            table + " was rewritten or truncated"
                                    + " (TRUNCATE, ALTER TABLE ... TYPE, VACUUM FULL) after the copy's snapshot was taken,"
                                    + " so the copy would see it empty; the copy starts over with a new snapshot",
                            null);
                }
            }
        }
    }
}

package io.zeroetl.postgres.internal.replication;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.postgres.internal.PgErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the source's prerequisites and prepares the publication and the replication slot, with
 * messages that say what to change.
 */
final class SourceSetup {
    private static final Logger LOG = LoggerFactory.getLogger(SourceSetup.class);

    private SourceSetup() {}

    /**
     * What setup found: the tables that can be replicated, whether the slot exists (and why the source
     * invalidated it, if it did), the server version, whether DDL is captured, and whether the database is
     * SQL_ASCII (its text, any bytes, is read as stored).
     */
    record Result(
            Set<TableId> tables,
            Map<TableId, String> unavailable,
            boolean slotExists,
            int serverVersion,
            Set<TableId> added,
            Map<TableId, String> notes,
            boolean publishesGenerated,
            boolean captured,
            String slotLost,
            boolean sqlAscii,
            Set<TableId> gone) {
        /** This result, knowing whether DDL is captured: without, the {@code partitioned} tables are refused. */
        Result captured(boolean on, Set<TableId> partitioned) {
            Set<TableId> kept = new TreeSet<>(tables);
            Map<TableId, String> refused = new TreeMap<>(unavailable);
            partitioned.stream().filter(t -> !on && kept.remove(t)).forEach(t -> refused.put(t, Partitions.UNCAPTURED));
            return new Result(
                    kept,
                    refused,
                    slotExists,
                    serverVersion,
                    added,
                    notes,
                    publishesGenerated,
                    on,
                    slotLost,
                    sqlAscii,
                    gone);
        }
    }

    /** PostgreSQL 18 publishes stored generated columns when the publication asks for them. */
    private static final int GENERATED_COLUMNS_VERSION = 180000;

    /**
     * Checks the source and readies the publication for {@code tables}. {@code resuming}: the target holds a
     * position, so a selected table the source no longer has was dropped while the pipeline did not stream
     * (its drop is in the WAL still to come, or was not captured): it is reported gone, not refused as a name
     * that never existed.
     */
    static Result prepare(
            Connection c,
            String slot,
            String publication,
            boolean ownPublication,
            Set<TableId> tables,
            boolean resuming) {
        try {
            int version = checkServer(c);
            Set<TableId> replicable = new TreeSet<>();
            Map<TableId, String> unavailable = new TreeMap<>();
            Set<TableId> gone = new TreeSet<>();
            for (TableId table : new TreeSet<>(tables)) {
                if (resuming && !exists(c, table)) {
                    LOG.info(
                            "Table {} no longer exists at the source: it was dropped while the pipeline did not stream",
                            table);
                    gone.add(table);
                    continue;
                }
                String reason = checkTable(c, table);
                if (reason == null) {
                    replicable.add(table);
                } else {
                    unavailable.put(table, reason);
                    LOG.warn("Table {} is not replicated: {}", table, reason);
                }
            }
            Set<TableId> added = Publications.ensurePublication(c, publication, ownPublication, replicable);
            if (Partitions.viaRoot(c, publication, ownPublication)) {
                for (TableId table : new TreeSet<>(replicable)) {
                    if (Partitions.partitioned(c, table)) {
                        replicable.remove(table);
                        unavailable.put(table, Partitions.viaRootReason(publication));
                        LOG.warn("Table {} is not replicated: {}", table, unavailable.get(table));
                    }
                }
            }
            boolean generated = publishesGenerated(c, publication, ownPublication, version);
            Map<TableId, String> notes = new TreeMap<>();
            for (TableId table : replicable) {
                // PostgreSQL 18 publishes stored generated columns (when asked); virtual ones never
                String columns = generatedColumns(c, table, generated ? "v" : null);
                if (columns != null) {
                    notes.put(
                            table,
                            generated
                                    ? "virtual generated column(s) " + columns + " are not replicated: PostgreSQL"
                                            + " publishes only stored ones"
                                    : "generated column(s) " + columns + " are not replicated: PostgreSQL "
                                            + version / 10000
                                            + " does not publish generated columns (PostgreSQL 18 does, and"
                                            + " zeroetl's own publication asks it to)");
                }
            }
            boolean exists = checkSlot(c, slot);
            return new Result(
                    replicable,
                    unavailable,
                    exists,
                    version,
                    added,
                    notes,
                    generated,
                    false,
                    exists ? slotLost(c, slot) : null,
                    single(c, "SHOW server_encoding").equalsIgnoreCase("SQL_ASCII"),
                    gone);
        } catch (SQLException e) {
            throw PgErrors.classify("preparing the source (publication, slot)", e);
        }
    }

    private static int checkServer(Connection c) throws SQLException {
        int version = Integer.parseInt(single(c, "SHOW server_version_num"));
        if (version < 120000) {
            throw prerequisite("The source runs PostgreSQL " + version / 10000 + "; zeroetl needs 12 or later.");
        }
        String walLevel = single(c, "SHOW wal_level");
        if (!walLevel.equals("logical")) {
            throw prerequisite(
                    "The source has wal_level = " + walLevel + "; logical replication needs wal_level ="
                            + " logical (on Amazon RDS: set rds.logical_replication = 1 in the parameter group), then a restart.");
        }
        boolean replication = Boolean.parseBoolean(single(
                        c, "SELECT (rolreplication OR rolsuper)::text FROM pg_roles" + " WHERE rolname = current_user"))
                || Boolean.parseBoolean(single(
                        c,
                        "SELECT (EXISTS (SELECT 1 FROM"
                                + " pg_roles WHERE rolname = 'rds_replication') AND pg_has_role(current_user, 'rds_replication',"
                                + " 'member'))::text"));
        if (!replication) {
            String user = single(c, "SELECT current_user");
            String quoted = "\"" + user.replace("\"", "\"\"") + "\"";
            throw new ZeroEtlException(
                    ErrorCode.PERMISSION,
                    "The source user " + user + " may not replicate: ALTER ROLE " + quoted + " WITH REPLICATION"
                            + " (on Amazon RDS: GRANT rds_replication TO " + quoted + ").");
        }
        return version;
    }

    /**
     * Why the table cannot be replicated (no key, UNLOGGED, partitioned), or null when it can; throws when
     * it is missing or unreadable.
     */
    /** Whether the source has a table (ordinary or partitioned) of that name. */
    private static boolean exists(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_class cl JOIN pg_namespace n"
                + " ON n.oid = cl.relnamespace WHERE n.nspname = ? AND cl.relname = ? AND cl.relkind IN ('r', 'p')")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String checkTable(Connection c, TableId table) throws SQLException {
        // a replica identity must be usable: a primary key that is not DEFERRABLE (PostgreSQL cannot use a
        // deferrable one), or a chosen index that still exists; otherwise the source's own UPDATEs and DELETEs
        // fail once the table is in a publication that publishes them
        try (PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege(cl.oid, 'SELECT'), cl.relreplident,"
                + " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = cl.oid AND i.indisprimary AND i.indimmediate),"
                + " cl.relpersistence, cl.relkind,"
                + " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = cl.oid AND i.indisprimary AND NOT i.indimmediate),"
                + " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = cl.oid AND i.indisreplident)"
                + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ?"
                + " AND cl.relname = ? AND cl.relkind IN ('r', 'p')")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ZeroEtlException(
                            ErrorCode.CONFIGURATION,
                            "tables: the source has no table " + table
                                    + "; check the name (quote parts with capitals: \"Sales\".orders)");
                }
                if (!rs.getBoolean(1)) {
                    throw new ZeroEtlException(
                            ErrorCode.PERMISSION,
                            "The source user may not read " + table + ": GRANT SELECT ON " + table.quoted()
                                    + " TO the replication user.");
                }
                if (rs.getString(4).equals("u")) {
                    return "UNLOGGED: PostgreSQL writes no WAL for it, so logical replication cannot see its changes;"
                            + " ALTER TABLE " + table.quoted() + " SET LOGGED, then resync the table";
                }
                String reason =
                        identityReason(rs.getString(2), rs.getBoolean(3), rs.getBoolean(6), rs.getBoolean(7), table);
                if (reason == null && rs.getString(5).equals("p")) {
                    return Partitions.check(c, table);
                }
                return reason;
            }
        }
    }

    /** Why {@code table} (a stored table or partition) cannot identify its rows for UPDATE and DELETE, or null. */
    static String identityReason(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT cl.relreplident,"
                + " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = cl.oid AND i.indisprimary AND i.indimmediate),"
                + " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = cl.oid AND i.indisprimary AND NOT i.indimmediate),"
                + " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = cl.oid AND i.indisreplident)"
                + " FROM pg_class cl WHERE cl.oid = to_regclass(?)")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? identityReason(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4), table)
                        : null;
            }
        }
    }

    private static String identityReason(
            String identity, boolean hasKey, boolean deferrableKey, boolean identityIndex, TableId table) {
        if (identity.equals("f") || identity.equals("i") && identityIndex || identity.equals("d") && hasKey) {
            return null;
        }
        String fix = "ALTER TABLE " + table.quoted() + " REPLICA IDENTITY FULL (or REPLICA IDENTITY USING"
                + " INDEX on a unique, non-deferrable index of NOT NULL columns), then resync the table;"
                + " zeroetl does not publish it, as its UPDATEs and DELETEs would fail at the source";
        if (identity.equals("d") && deferrableKey) {
            return "its primary key is DEFERRABLE, which PostgreSQL cannot use as a replica identity: " + fix;
        }
        if (identity.equals("i")) {
            return "its REPLICA IDENTITY index no longer exists: " + fix;
        }
        if (identity.equals("n")) {
            return "it has REPLICA IDENTITY NOTHING, so its updates and deletes carry no row: " + fix;
        }
        return "no primary key: add one, or " + fix;
    }

    /**
     * Whether the publication publishes stored generated columns: on PostgreSQL 18+, zeroetl's own
     * publication is set to ({@code publish_generated_columns = stored}); another is taken as it is.
     */
    private static boolean publishesGenerated(Connection c, String publication, boolean own, int version)
            throws SQLException {
        if (version < GENERATED_COLUMNS_VERSION) {
            return false;
        }
        if (own) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER PUBLICATION " + quote(publication) + " SET (publish_generated_columns = stored)");
            }
            return true;
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pubgencols::text = 's' FROM pg_publication" + " WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The table's generated columns ({@code kind}: of that kind only, or null: any), listed; null when none. */
    private static String generatedColumns(Connection c, TableId table, String kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY"
                        + " a.attnum) FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attnum > 0"
                        + " AND NOT a.attisdropped AND a.attgenerated <> '' AND (?::text IS NULL OR a.attgenerated::text = ?)")) {
            ps.setString(1, table.quoted());
            ps.setString(2, kind);
            ps.setString(3, kind);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Whether the slot exists (and is ours to use); when it does not, that one can be created. */
    private static boolean checkSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT plugin, database = current_database() FROM" + " pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (!"pgoutput".equals(rs.getString(1)) || !rs.getBoolean(2)) {
                        throw new ZeroEtlException(
                                ErrorCode.CONFIGURATION,
                                "The replication slot " + slot + " exists"
                                        + " for another plugin or database; drop it or choose another pipelineId");
                    }
                    return true;
                }
            }
        }
        int free = Integer.parseInt(single(
                c,
                "SELECT current_setting('max_replication_slots')::int"
                        + " - (SELECT count(*) FROM pg_replication_slots)"));
        if (free <= 0) {
            throw prerequisite("The source has no free replication slot: raise max_replication_slots (a restart is"
                    + " needed) or drop an unused slot (SELECT pg_drop_replication_slot(name)).");
        }
        int senders = Integer.parseInt(single(
                c, "SELECT current_setting('max_wal_senders')::int" + " - (SELECT count(*) FROM pg_stat_replication)"));
        if (senders <= 0) {
            throw prerequisite("The source has no free WAL sender: raise max_wal_senders (a restart is needed).");
        }
        return false;
    }

    /**
     * Why the source invalidated the slot (PostgreSQL 13+ {@code wal_status = 'lost'}: WAL it needed was removed,
     * e.g. past {@code max_slot_wal_keep_size}; 17+ {@code invalidation_reason}), or null while it is usable.
     */
    private static String slotLost(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_jsonb(s) ->> 'wal_status', to_jsonb(s) ->>"
                + " 'invalidation_reason' FROM pg_replication_slots s WHERE s.slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (rs.getString(2) != null) {
                    return "invalidation_reason " + rs.getString(2);
                }
                return "lost".equals(rs.getString(1)) ? "wal_status lost: WAL it still needed was removed" : null;
            }
        }
    }

    static void dropSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM" + " pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            ps.executeQuery().close();
        }
    }

    /** Where {@code slot} is confirmed up to ({@link Lsn#NONE} when it is gone or never confirmed). */
    static Lsn confirmedFlush(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? Lsn.parse(rs.getString(1)) : Lsn.NONE;
            }
        }
    }

    static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static ZeroEtlException prerequisite(String message) {
        return new ZeroEtlException(ErrorCode.SOURCE_PREREQUISITE, message);
    }
}

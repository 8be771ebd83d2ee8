package io.zeroetl.redshift.internal;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * zeroetl's own tables in the target, all in the state schema (by default {@code zeroetl}, a schema of its
 * own, so a user's table cannot be one of them): {@code zeroetl_state} (each pipeline's committed position),
 * {@code zeroetl_table_state} (each table's last committed state: SYNCED after a copy, FAILED with its reason,
 * DROPPED), {@code zeroetl_errors} (every value conversion), {@code zeroetl_layouts} (each target table's columns),
 * {@code zeroetl_table_names} (the name each table renamed at the source goes by in the host's settings) and
 * {@code zeroetl_claims} (which instance may commit: see {@link Claims}). Read and written by the applier and read by
 * validation; every write happens in the caller's transaction.
 */
final class StateTables {
    /** The names of zeroetl's own tables: a replicated table may never land on one of them. */
    static final Set<String> NAMES = Set.of(
            "zeroetl_state",
            "zeroetl_table_state",
            "zeroetl_errors",
            "zeroetl_layouts",
            "zeroetl_table_names",
            "zeroetl_claims",
            "zeroetl_turns");
    /** VARCHAR sizes are bytes in Redshift (r_Character_types); reasons are cut to this many bytes. */
    static final int MAX_REASON_BYTES = 4000;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String schema;
    private final Claims claims;

    StateTables(String schema) {
        this.schema = schema;
        this.claims = new Claims(Sql.qualified(schema, "zeroetl_claims"));
    }

    /** The pipelines' epochs. */
    Claims claims() {
        return claims;
    }

    String schema() {
        return schema;
    }

    String state() {
        return Sql.qualified(schema, "zeroetl_state");
    }

    String tableState() {
        return Sql.qualified(schema, "zeroetl_table_state");
    }

    String errors() {
        return Sql.qualified(schema, "zeroetl_errors");
    }

    String layouts() {
        return Sql.qualified(schema, "zeroetl_layouts");
    }

    String names() {
        return Sql.qualified(schema, "zeroetl_table_names");
    }

    /** A read of zeroetl's tables on a connection. */
    @FunctionalInterface
    interface Query<T> {
        T read(Connection c) throws SQLException;
    }

    /**
     * The table every batch locks first, so that batches of pipelines sharing the target take turns instead
     * of aborting each other with serialization errors (1023). It holds no rows: locking it blocks no one who
     * only reads zeroetl's state, so an instance taking a pipeline over reads its position even while a paused
     * instance's batch holds the lock (that batch is then refused: see {@link Claims}).
     */
    String turns() {
        return Sql.qualified(schema, "zeroetl_turns");
    }

    /** Whether a table landing at {@code targetSchema}.{@code name} would be one of zeroetl's own. */
    boolean collides(String targetSchema, String name) {
        return targetSchema.equals(schema) && NAMES.contains(name);
    }

    /** Creates the schema and the tables when missing. */
    void create(Statement s) throws SQLException {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.id(schema));
        s.execute("CREATE TABLE IF NOT EXISTS " + state() + " (pipeline_id VARCHAR(64) NOT NULL, lsn BIGINT"
                + " NOT NULL, source_commit_time TIMESTAMP, applied_at TIMESTAMP, PRIMARY KEY (pipeline_id))");
        s.execute("CREATE TABLE IF NOT EXISTS " + tableState() + " (pipeline_id VARCHAR(64) NOT NULL,"
                + " table_name VARCHAR(1024) NOT NULL, state VARCHAR(32) NOT NULL, reason VARCHAR(4000),"
                + " updated_at TIMESTAMP)");
        ValueFailures.createTable(s, errors());
        s.execute("CREATE TABLE IF NOT EXISTS " + layouts() + " (pipeline_id VARCHAR(64) NOT NULL,"
                + " table_name VARCHAR(1024) NOT NULL, layout VARCHAR(65535) NOT NULL, updated_at TIMESTAMP)");
        s.execute("CREATE TABLE IF NOT EXISTS " + names() + " (pipeline_id VARCHAR(64) NOT NULL,"
                + " table_name VARCHAR(1024) NOT NULL, first_name VARCHAR(1024) NOT NULL, updated_at TIMESTAMP)");
        s.execute(claims.create());
        s.execute("CREATE TABLE IF NOT EXISTS " + turns() + " (pipeline_id VARCHAR(64))");
    }

    /** The layouts recorded for the pipeline's tables, encoded (see {@link Layout}). */
    Map<TableId, String> layouts(Connection c, String pipelineId) throws SQLException {
        Map<TableId, String> layouts = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT table_name, layout FROM " + layouts() + " WHERE pipeline_id = ?")) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    layouts.put(TableId.parse(rs.getString(1)), rs.getString(2));
                }
            }
        }
        return layouts;
    }

    /**
     * The names recorded for the pipeline's tables renamed at the source and followed: each by its source name now,
     * with the name it was first replicated under.
     */
    Map<TableId, TableId> firstNames(Connection c, String pipelineId) throws SQLException {
        Map<TableId, TableId> names = new HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT table_name, first_name FROM " + names() + " WHERE pipeline_id = ?")) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.put(TableId.parse(rs.getString(1)), TableId.parse(rs.getString(2)));
                }
            }
        }
        return names;
    }

    /** Replaces the names recorded for the pipeline with {@code names}, in the caller's transaction. */
    void writeFirstNames(Connection c, String pipelineId, Map<TableId, TableId> names) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + names() + " WHERE pipeline_id = ?");
                PreparedStatement insert =
                        c.prepareStatement("INSERT INTO " + names() + " VALUES (?, ?, ?, GETDATE())")) {
            delete.setString(1, pipelineId);
            delete.executeUpdate();
            for (Map.Entry<TableId, TableId> name : names.entrySet()) {
                insert.setString(1, pipelineId);
                insert.setString(2, name.getKey().quoted());
                insert.setString(3, name.getValue().quoted());
                insert.executeUpdate();
            }
        }
    }

    /** Replaces (or with null removes) the layout recorded for {@code table}, in the caller's transaction. */
    void writeLayout(Connection c, String pipelineId, TableId table, String layout) throws SQLException {
        try (PreparedStatement delete =
                c.prepareStatement("DELETE FROM " + layouts() + " WHERE pipeline_id = ? AND table_name = ?")) {
            delete.setString(1, pipelineId);
            delete.setString(2, table.quoted());
            delete.executeUpdate();
        }
        if (layout != null) {
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO " + layouts() + " VALUES (?, ?, ?, GETDATE())")) {
                insert.setString(1, pipelineId);
                insert.setString(2, table.quoted());
                insert.setString(3, layout);
                insert.executeUpdate();
            }
        }
    }

    /** The pipeline's committed position, if it has one. */
    Optional<Lsn> position(Connection c, String pipelineId) throws SQLException {
        return position(c, state(), pipelineId);
    }

    static Optional<Lsn> position(Connection c, String stateTable, String pipelineId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lsn FROM " + stateTable + " WHERE pipeline_id = ?")) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Lsn.of(rs.getLong(1))) : Optional.empty();
            }
        }
    }

    /** Replaces the pipeline's position, in the caller's transaction. */
    void savePosition(Connection c, String pipelineId, Lsn position, Instant commitTime) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + state() + " WHERE pipeline_id = ?");
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO " + state() + " (pipeline_id, lsn,"
                                + " source_commit_time, applied_at) VALUES (?, CAST(? AS BIGINT), CAST(? AS TIMESTAMP), GETDATE())")) {
            delete.setString(1, pipelineId);
            delete.executeUpdate();
            insert.setString(1, pipelineId);
            insert.setString(2, Long.toString(position.value()));
            insert.setString(3, commitTime == null ? null : TIMESTAMP.format(commitTime));
            insert.executeUpdate();
        }
    }

    /** The pipeline's tables copied in part, with the progress the source recorded (state COPYING). */
    Map<TableId, String> copyProgress(Connection c, String pipelineId) throws SQLException {
        Map<TableId, String> progress = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, reason FROM " + tableState()
                + " WHERE pipeline_id = ? AND state = " + TableState.COPYING.literal())) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    progress.put(TableId.parse(rs.getString(1)), rs.getString(2));
                }
            }
        }
        return progress;
    }

    /**
     * Records, in the caller's transaction, the copies a batch finished (SYNCED) and those it leaves in part
     * (COPYING, with their progress).
     */
    void writeCopies(Connection c, String pipelineId, List<TableId> copied, Map<TableId, String> progress)
            throws SQLException {
        for (TableId table : copied) {
            writeTableState(c, pipelineId, table, TableState.SYNCED, null);
        }
        for (var entry : progress.entrySet()) {
            writeTableState(c, pipelineId, entry.getKey(), TableState.COPYING, entry.getValue());
        }
    }

    /** The pipeline's FAILED tables with their reasons. */
    Map<TableId, String> failed(Connection c, String pipelineId) throws SQLException {
        return failed(c, tableState(), pipelineId);
    }

    static Map<TableId, String> failed(Connection c, String table, String pipelineId) throws SQLException {
        Map<TableId, String> failed = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, reason FROM " + table
                + " WHERE pipeline_id = ? AND state = " + TableState.FAILED.literal())) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    failed.put(TableId.parse(rs.getString(1)), rs.getString(2));
                }
            }
        }
        return failed;
    }

    /** The pipeline's tables whose copy was asked for or is under way and has not committed whole. */
    static Set<TableId> copyPending(Connection c, String table, String pipelineId) throws SQLException {
        Set<TableId> pending = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM " + table
                + " WHERE pipeline_id = ? AND state IN (" + TableState.COPY_PENDING.literal() + ", "
                + TableState.COPYING.literal() + ")")) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.add(TableId.parse(rs.getString(1)));
                }
            }
        }
        return pending;
    }

    /** The pipeline's tables recorded as copied: SYNCED, or FAILED after it. */
    Set<TableId> copied(Connection c, String pipelineId) throws SQLException {
        return tablesIn(c, pipelineId, "IN (" + TableState.SYNCED.literal() + ", " + TableState.FAILED.literal() + ")");
    }

    /** The pipeline's tables recorded as dropped at the source. */
    Set<TableId> dropped(Connection c, String pipelineId) throws SQLException {
        return tablesIn(c, pipelineId, "= " + TableState.DROPPED.literal());
    }

    private Set<TableId> tablesIn(Connection c, String pipelineId, String states) throws SQLException {
        Set<TableId> copied = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT table_name FROM " + tableState() + " WHERE pipeline_id = ? AND state " + states)) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    copied.add(TableId.parse(rs.getString(1)));
                }
            }
        }
        return copied;
    }

    /**
     * The rows of table {@code from} (its state, layout and recorded conversions) go to {@code to}, replacing any
     * {@code to} had: the table was renamed. In the caller's transaction.
     */
    void renameTable(Connection c, String pipelineId, TableId from, TableId to) throws SQLException {
        for (String table : List.of(tableState(), layouts(), errors())) {
            boolean quoted = !table.equals(errors());
            try (PreparedStatement delete =
                            c.prepareStatement("DELETE FROM " + table + " WHERE pipeline_id = ? AND table_name = ?");
                    PreparedStatement update = c.prepareStatement(
                            "UPDATE " + table + " SET table_name = ? WHERE pipeline_id = ? AND table_name = ?")) {
                delete.setString(1, pipelineId);
                delete.setString(2, quoted ? to.quoted() : to.toString());
                delete.executeUpdate();
                update.setString(1, quoted ? to.quoted() : to.toString());
                update.setString(2, pipelineId);
                update.setString(3, quoted ? from.quoted() : from.toString());
                update.executeUpdate();
            }
        }
    }

    /** Replaces the row of {@code source} with {@code state} and {@code reason}, in the caller's transaction. */
    void writeTableState(Connection c, String pipelineId, TableId source, TableState state, String reason)
            throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM " + tableState() + " WHERE pipeline_id = ? AND table_name = ?");
                PreparedStatement insert =
                        c.prepareStatement("INSERT INTO " + tableState() + " VALUES (?, ?, ?, ?, GETDATE())")) {
            delete.setString(1, pipelineId);
            delete.setString(2, source.quoted());
            delete.executeUpdate();
            insert.setString(1, pipelineId);
            insert.setString(2, source.quoted());
            insert.setString(3, state.name());
            insert.setString(4, reason == null ? null : cut(reason, MAX_REASON_BYTES));
            insert.executeUpdate();
        }
    }

    /**
     * {@code text} cut to at most {@code maxBytes} UTF-8 bytes at a character boundary, ending in an
     * ellipsis when cut.
     */
    static String cut(String text, int maxBytes) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return text;
        }
        int end = maxBytes - 3;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8) + "...";
    }
}

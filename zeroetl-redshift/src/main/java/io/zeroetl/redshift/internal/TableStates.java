package io.zeroetl.redshift.internal;

import io.zeroetl.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code zeroetl_table_state}: each table's last committed state per pipeline (SYNCED after a copy, FAILED
 * with its reason, DROPPED), read and written by the applier and read by validation.
 */
final class TableStates {
    private static final int MAX_REASON = 4000;

    private TableStates() {
    }

    static void createTable(Statement s, String table) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS " + table + " (pipeline_id VARCHAR(64) NOT NULL,"
                + " table_name VARCHAR(512) NOT NULL, state VARCHAR(32) NOT NULL, reason VARCHAR(4000),"
                + " updated_at TIMESTAMP)");
    }

    /** The pipeline's FAILED tables with their reasons. */
    static Map<TableId, String> failed(Connection c, String table, String pipelineId) throws SQLException {
        Map<TableId, String> failed = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, reason FROM " + table
                + " WHERE pipeline_id = ? AND state = 'FAILED'")) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    failed.put(TableId.parse(rs.getString(1)), rs.getString(2));
                }
            }
        }
        return failed;
    }

    /** The pipeline's tables recorded as copied: SYNCED, or FAILED after it. */
    static Set<TableId> copied(Connection c, String table, String pipelineId) throws SQLException {
        Set<TableId> copied = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM " + table
                + " WHERE pipeline_id = ? AND state IN ('SYNCED', 'FAILED')")) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    copied.add(TableId.parse(rs.getString(1)));
                }
            }
        }
        return copied;
    }

    /** Replaces the row of {@code source} with {@code state} and {@code reason}, in the caller's transaction. */
    static void write(Connection c, String table, String pipelineId, TableId source, String state, String reason)
            throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table
                + " WHERE pipeline_id = ? AND table_name = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, GETDATE())")) {
            delete.setString(1, pipelineId);
            delete.setString(2, source.quoted());
            delete.executeUpdate();
            insert.setString(1, pipelineId);
            insert.setString(2, source.quoted());
            insert.setString(3, state);
            insert.setString(4, reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON));
            insert.executeUpdate();
        }
    }
}

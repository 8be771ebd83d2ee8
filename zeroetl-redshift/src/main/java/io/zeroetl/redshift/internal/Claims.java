package io.zeroetl.redshift.internal;

import io.zeroetl.ErrorCode;
import io.zeroetl.ZeroEtlException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Fencing for pipelines run by several instances: {@code zeroetl_claims} holds each pipeline's epoch. An
 * applier claims the pipeline when it starts (the epoch goes up by one and is now its own) and ends every
 * transaction it commits with a check that the epoch is still its own. An instance that lost its place
 * without knowing it (paused mid-batch while another took over) therefore commits nothing: its check finds the
 * newer epoch, or waits for the claim that wrote it and then finds it.
 *
 * <p>SQL: UPDATE with an expression and a WHERE clause (r_UPDATE), INSERT ... VALUES (r_INSERT_30), SELECT.
 */
final class Claims {
    private final String table;

    Claims(String table) {
        this.table = table;
    }

    /** The table's definition (created with the other state tables). */
    String create() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (pipeline_id VARCHAR(64) NOT NULL, epoch BIGINT NOT NULL,"
                + " claimed_at TIMESTAMP, PRIMARY KEY (pipeline_id))";
    }

    /** Raises the pipeline's epoch by one in the caller's transaction and returns the new one. */
    long claim(Connection c, String pipelineId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE " + table + " SET epoch = epoch + 1," + " claimed_at = GETDATE() WHERE pipeline_id = ?")) {
            update.setString(1, pipelineId);
            if (update.executeUpdate() == 0) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO " + table + " (pipeline_id, epoch, claimed_at) VALUES (?, 1, GETDATE())")) {
                    insert.setString(1, pipelineId);
                    insert.executeUpdate();
                }
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT epoch FROM " + table + " WHERE pipeline_id = ?")) {
            select.setString(1, pipelineId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the claim of pipeline " + pipelineId + " was not recorded", "XX000");
                }
                long epoch = rs.getLong(1);
                if (rs.next()) {
                    throw new ZeroEtlException(
                            ErrorCode.INTERNAL,
                            table + " holds two rows for pipeline " + pipelineId
                                    + "; delete the one with the lower epoch while no instance of it runs");
                }
                return epoch;
            }
        }
    }

    /**
     * Checks, as the last statement of the caller's transaction, that {@code epoch} is still the pipeline's;
     * throws FENCED when another instance claimed it since (the caller rolls back).
     */
    void check(Connection c, String pipelineId, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + table + " SET claimed_at = claimed_at" + " WHERE pipeline_id = ? AND epoch = ?")) {
            ps.setString(1, pipelineId);
            ps.setLong(2, epoch);
            if (ps.executeUpdate() != 1) {
                throw new ZeroEtlException(
                        ErrorCode.FENCED,
                        "Another instance took pipeline " + pipelineId
                                + " over (it claimed a newer epoch than this instance's " + epoch + "); this instance's"
                                + " batch was rolled back and it stands by");
            }
        }
    }
}

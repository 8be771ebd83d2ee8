package io.zeroetl.redshift.internal;

import io.zeroetl.ErrorCode;
import io.zeroetl.ZeroEtlException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fencing for pipelines run by several instances: {@code zeroetl_claims} holds each pipeline's epoch and the
 * target session of the instance that holds it. An applier claims the pipeline when it starts (the epoch goes
 * up by one and is now its own) and ends every transaction it commits with a check that the epoch is still its
 * own. An instance that lost its place without knowing it (paused mid-batch while another took over) therefore
 * commits nothing: its check finds the newer epoch. And a takeover does not wait for it: before claiming, the
 * new instance ends the session the holder recorded (its open transaction, its locks on {@code zeroetl_turns}
 * and the target tables, go with it), as the new holder of the source's lease ends a stale WAL sender.
 *
 * <p>SQL: UPDATE with an expression and a WHERE clause (r_UPDATE), INSERT ... VALUES (r_INSERT_30), SELECT;
 * PG_BACKEND_PID (r_PG_BACKEND_PID), STV_SESSIONS (r_STV_SESSIONS), PG_TERMINATE_BACKEND, which ends a session
 * of one's own user (PG_TERMINATE_BACKEND).
 */
final class Claims {
    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);

    private final String table;

    Claims(String table) {
        this.table = table;
    }

    /** The table's definition (created with the other state tables). */
    String create() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (pipeline_id VARCHAR(64) NOT NULL, epoch BIGINT NOT NULL,"
                + " claimed_at TIMESTAMP, session_pid INTEGER, session_start TIMESTAMP, PRIMARY KEY (pipeline_id))";
    }

    /** Adds the session columns to a table made by a version that had none (one column per statement). */
    void upgrade(Connection c, String schema) throws SQLException {
        List<String> have = TargetCatalog.names(
                c,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
                schema,
                "zeroetl_claims");
        try (Statement s = c.createStatement()) {
            if (!have.contains("session_pid")) {
                s.execute("ALTER TABLE " + table + " ADD COLUMN session_pid INTEGER");
            }
            if (!have.contains("session_start")) {
                s.execute("ALTER TABLE " + table + " ADD COLUMN session_start TIMESTAMP");
            }
        }
    }

    /**
     * Ends the target session of the instance that held the pipeline, when it is still there: it lost its place
     * (paused, cut off from the source) and cannot commit, but its open transaction would hold the locks the next
     * batches need until it resumes. A session is known by its process and start time, so a process id the
     * server gave to another session since is left alone. Autocommit; best effort.
     */
    void endPreviousHolder(Connection c, String pipelineId) throws SQLException {
        Integer pid = null;
        Timestamp start = null;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT session_pid, session_start FROM " + table + " WHERE pipeline_id = ?")) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    pid = (Integer) rs.getObject(1);
                    start = rs.getTimestamp(2);
                }
            }
        }
        if (pid == null || start == null || pid == ownPid(c)) {
            return;
        }
        // STV_SESSIONS lives on the leader node: read on its own, never joined with a user table
        if (!start.equals(sessionStart(c, pid))) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT PG_TERMINATE_BACKEND(?)")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    LOG.warn(
                            "Pipeline {}: ended target session {} of the instance that held it before (it lost its place"
                                    + " and cannot commit; its open transaction would hold the locks the next batches"
                                    + " need)",
                            pipelineId,
                            pid);
                }
            }
        } catch (SQLException e) {
            LOG.warn(
                    "Pipeline {}: could not end target session {} of the instance that held it before ({}); the first"
                            + " batch waits until it ends",
                    pipelineId,
                    pid,
                    e.getMessage());
        }
    }

    /** Records {@code c}'s session as the holder's, if {@code epoch} is still the pipeline's (autocommit). */
    void recordSession(Connection c, String pipelineId, long epoch) throws SQLException {
        int pid = ownPid(c);
        Timestamp start = sessionStart(c, pid);
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE " + table + " SET session_pid = ?, session_start = ? WHERE pipeline_id = ? AND epoch = ?")) {
            ps.setInt(1, pid);
            ps.setTimestamp(2, start);
            ps.setString(3, pipelineId);
            ps.setLong(4, epoch);
            ps.executeUpdate();
        }
    }

    /** When the session of process {@code pid} began, or null when there is none. */
    private static Timestamp sessionStart(Connection c, int pid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT starttime FROM stv_sessions WHERE process = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1) : null;
            }
        }
    }

    private static int ownPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT PG_BACKEND_PID()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Raises the pipeline's epoch by one in the caller's transaction (its first statement) and returns the new
     * one. The table is locked first (r_LOCK): under SNAPSHOT isolation, the default on current clusters and
     * Serverless (c_serial_isolation), two instances making a pipeline's first claim at once would each find
     * no row and each insert one, both holding epoch 1; under the lock the second waits and finds the first's.
     */
    long claim(Connection c, String pipelineId) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("LOCK " + table);
        }
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

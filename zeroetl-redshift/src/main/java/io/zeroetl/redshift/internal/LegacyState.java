package io.zeroetl.redshift.internal;

import io.zeroetl.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Earlier versions kept zeroetl's tables in the target schema (or {@code public}). A pipeline that has no
 * position in the state schema yet but one there resumes from it: its position and its tables' states are
 * copied to the state schema in one transaction, so an upgrade never copies the tables again.
 */
final class LegacyState {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyState.class);

    private LegacyState() {}

    static Optional<Lsn> migrate(Connection c, String legacySchema, StateTables state, String pipelineId)
            throws SQLException {
        if (legacySchema.equals(state.schema()) || !exists(c, legacySchema, "zeroetl_state")) {
            return Optional.empty();
        }
        String legacy = Sql.qualified(legacySchema, "zeroetl_state");
        Optional<Lsn> position = StateTables.position(c, legacy, pipelineId);
        if (position.isEmpty()) {
            return position;
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            copy(
                    c,
                    "INSERT INTO " + state.state() + " SELECT pipeline_id, lsn, source_commit_time, applied_at FROM "
                            + legacy + " WHERE pipeline_id = ?",
                    pipelineId);
            if (exists(c, legacySchema, "zeroetl_table_state")) {
                copy(
                        c,
                        "INSERT INTO " + state.tableState()
                                + " SELECT pipeline_id, table_name, state, reason, updated_at" + " FROM "
                                + Sql.qualified(legacySchema, "zeroetl_table_state") + " WHERE pipeline_id = ?",
                        pipelineId);
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        LOG.info(
                "Pipeline {}: moved its position {} from {} to the state schema {}",
                pipelineId,
                position.get(),
                legacy,
                state.schema());
        return position;
    }

    private static void copy(Connection c, String sql, String pipelineId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pipelineId);
            ps.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.tables" + " WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}

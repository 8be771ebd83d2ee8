package io.zeroetl.redshift.internal;

import io.zeroetl.ErrorCode;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.spi.ApplierContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an applier does to the target once, when it starts: its own tables, and what the cluster is like. */
final class TargetSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSetup.class);

    private TargetSetup() {}

    /**
     * Creates the state tables that are not there. Two instances starting on a new target at once may both try
     * to create one (IF NOT EXISTS checks before it creates): the one that loses finds it made on a second try.
     */
    static void createStateTables(StateTables state, TargetSession session, Connection c) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Statement s = c.createStatement()) {
                state.create(s);
                return;
            } catch (SQLException e) {
                if (attempt == 5) {
                    throw e;
                }
                LOG.debug(
                        "Creating the state tables failed ({}); another instance may be creating them", e.getMessage());
                session.rollback();
                try {
                    // apart, so that two instances do not meet again at the next table
                    Thread.sleep(ThreadLocalRandom.current().nextLong(20, 200));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * The cluster's slices (r_STV_SLICES), 1 when they cannot be read (Serverless keeps no STV tables). Autocommit:
     * a refused query leaves no transaction behind.
     */
    static int slices(Connection c) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM stv_slices")) {
            return rs.next() ? rs.getInt(1) : 1;
        } catch (SQLException e) {
            LOG.info(
                    "The target's slices could not be read ({}); S3 loads are written as one file at a time",
                    e.getMessage());
            return 1;
        }
    }

    /**
     * Whether the target database runs SNAPSHOT isolation (r_STV_DB_ISOLATION_LEVEL, c_serial_isolation): then
     * transactions changing different rows of a table do not conflict, and pipelines sharing the target need not
     * take turns. False when it says SERIALIZABLE or cannot be read (the safe answer). Autocommit.
     */
    static boolean snapshotIsolation(Connection c) {
        String level = null;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT TRIM(isolation_level) FROM stv_db_isolation_level"
                        + " WHERE TRIM(db_name) = CURRENT_DATABASE()")) {
            level = rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            LOG.info(
                    "The target database's isolation level could not be read ({}); batches of pipelines sharing it"
                            + " take turns, as SERIALIZABLE requires",
                    e.getMessage());
            return false;
        }
        if (level != null && level.toLowerCase(Locale.ROOT).startsWith("snapshot")) {
            LOG.info("The target database runs SNAPSHOT isolation: pipelines sharing it apply their batches at once");
            return true;
        }
        LOG.info(
                "The target database runs {} isolation: batches of pipelines sharing it take turns at the merge;"
                        + " ALTER DATABASE ... ISOLATION LEVEL SNAPSHOT lets them apply at once",
                level == null ? "an unknown" : level);
        return false;
    }

    /** Refuses two selected tables that would land in one target table of the one target schema. */
    static void checkCollisions(ApplierSettings settings, ApplierContext context) {
        if (settings.targetSchema() == null) {
            return;
        }
        Map<String, TableId> seen = new HashMap<>();
        for (TableId table : context.tables()) {
            TableId other = seen.put(table.table().toLowerCase(Locale.ROOT), table);
            if (other != null) {
                throw new ZeroEtlException(
                        ErrorCode.CONFIGURATION,
                        "schema: " + other + " and " + table + " would"
                                + " both land in " + settings.targetSchema() + "." + table.table()
                                + "; replicate them to"
                                + " their own schemas (leave schema unset) or select only one");
            }
        }
    }
}

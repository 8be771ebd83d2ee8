package io.zeroetl.redshift.internal;

import io.zeroetl.TableFailedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Dropping a target table zeroetl replaces (a copy into a table created afresh, a rebuild, a move). */
final class TargetDrops {
    private TargetDrops() {}

    /**
     * Drops {@code table} to replace it ({@code why}). A view or another object that depends on it makes Redshift
     * refuse (DROP TABLE is RESTRICT: r_DROP_TABLE): only this table fails, saying what blocks it.
     */
    static void drop(Connection c, TargetTable table, String why) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table.qualified());
        } catch (SQLException e) {
            if ("2BP01".equals(e.getSQLState())) {
                throw new TableFailedException(
                        table.source,
                        "zeroetl must replace " + table.qualified() + " (" + why + "), and a view or another object"
                                + " in the target depends on it (" + e.getMessage() + "): drop that object, or create"
                                + " the view WITH NO SCHEMA BINDING (a late-binding view does not block it), then resync"
                                + " the table");
            }
            throw e;
        }
    }
}

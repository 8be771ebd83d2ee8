package io.zeroetl.redshift.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where a failed COPY went wrong, read from STL_LOAD_ERRORS for the session's last COPY (r_STL_LOAD_ERRORS,
 * PG_LAST_COPY_ID) once the batch's transaction is rolled back: file, line, column and Redshift's reason.
 */
final class LoadErrors {
    private LoadErrors() {}

    /** The user's name of a staging column ({@code c<n>} is the n-th column of the target table). */
    private static String column(String staged, TargetTable layout) {
        if (staged != null && layout != null && staged.matches("c\\d+")) {
            int i = Integer.parseInt(staged.substring(1)) - 1;
            if (i >= 0 && i < layout.columns.size()) {
                return layout.columns.get(i).name();
            }
        }
        return staged;
    }

    /** {@code " (at <file> line <n>, column <c>: <reason>; value '<raw>')"}, or empty when there is nothing to say. */
    static String describe(TargetSession session, TargetTable layout) {
        try {
            Connection c = session.connection();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT TRIM(filename),"
                            + " line_number, TRIM(colname), TRIM(err_reason), TRIM(raw_field_value) FROM STL_LOAD_ERRORS"
                            + " WHERE query = PG_LAST_COPY_ID() ORDER BY line_number LIMIT 1")) {
                if (!rs.next()) {
                    return "";
                }
                String raw = rs.getString(5);
                return " (at " + rs.getString(1) + " line " + rs.getLong(2) + ", column "
                        + column(rs.getString(3), layout)
                        + ": "
                        + rs.getString(4)
                        + (raw == null || raw.isEmpty()
                                ? ""
                                : "; value '" + (raw.length() > 80 ? raw.substring(0, 80) + "..." : raw) + "'")
                        + ")";
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        } catch (SQLException | RuntimeException e) {
            return " (STL_LOAD_ERRORS could not be read: " + e.getMessage() + ")";
        }
    }
}

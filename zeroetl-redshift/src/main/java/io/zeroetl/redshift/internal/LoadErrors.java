package io.zeroetl.redshift.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where a refused COPY went wrong: file, line, column, Redshift's reason and the value, from the load-error log.
 * The load is found by its files' names, unique to the attempt — not by PG_LAST_COPY_ID, which a COPY whose
 * transaction rolled back never updates — in STL_LOAD_ERRORS (r_STL_LOAD_ERRORS), or on Serverless, which has
 * no STL tables, in SYS_LOAD_ERROR_DETAIL (SYS_LOAD_ERROR_DETAIL). Read after the rollback: the log outlives it.
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

    /**
     * {@code " (at <file> line <n>, column <c>: <reason>; value '<raw>')"} for the load whose files begin with
     * {@code files}, or what could not be read.
     */
    static String describe(TargetSession session, String files, TargetTable layout) {
        String like = files.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        try {
            Connection c = session.connection();
            try {
                return describe(
                        c,
                        "SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason),"
                                + " TRIM(raw_field_value) FROM stl_load_errors WHERE TRIM(filename) LIKE ?"
                                + " ORDER BY line_number LIMIT 1",
                        like,
                        layout);
            } catch (SQLException e) {
                // Serverless keeps no STL tables
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                return describe(
                        c,
                        "SELECT TRIM(file_name), line_number, TRIM(column_name), TRIM(error_message),"
                                + " NULL FROM sys_load_error_detail WHERE TRIM(file_name) LIKE ? ORDER BY line_number"
                                + " LIMIT 1",
                        like,
                        layout);
            }
        } catch (SQLException | RuntimeException e) {
            return " (the load-error log could not be read: " + e.getMessage() + ")";
        } finally {
            session.rollback();
        }
    }

    private static String describe(Connection c, String sql, String like, TargetTable layout) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
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
            }
        }
    }
}

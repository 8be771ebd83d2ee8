package io.zeroetl.redshift.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The privileges users, groups and roles were given on a target table, read before zeroetl replaces the table
 * (a copy into a table created afresh, a rebuild for a new key) and given to the table that replaces it: a
 * table replaced by a deep copy loses its GRANTs (performing-a-deep-copy). Read from SVV_RELATION_PRIVILEGES
 * and SVV_COLUMN_PRIVILEGES (r_SVV_RELATION_PRIVILEGES, r_SVV_COLUMN_PRIVILEGES), given with GRANT (r_GRANT),
 * inside the batch's transaction: analysts never see the new table without their privileges.
 */
final class TargetGrants {
    /** One privilege: on the table, or on one column of it. */
    record Grant(String privilege, String identity, String identityType, String column) {
        /** The GRANT that gives it on {@code table}; null when the column no longer exists there. */
        String sql(TargetTable table) {
            if (column != null && table.column(column).isEmpty()) {
                return null;
            }
            String to = switch (identityType.toLowerCase(Locale.ROOT)) {
                case "public" -> "PUBLIC";
                case "group" -> "GROUP " + Sql.id(identity);
                case "role" -> "ROLE " + Sql.id(identity);
                default -> Sql.id(identity);
            };
            return "GRANT " + privilege + (column == null ? "" : " (" + Sql.id(column) + ")") + " ON TABLE "
                    + table.qualified() + " TO " + to;
        }
    }

    /** What r_GRANT lets one give on a table (and, for SELECT and UPDATE, on a column). */
    private static final Set<String> PRIVILEGES =
            Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "DROP", "REFERENCES", "ALTER", "TRUNCATE");

    private TargetGrants() {}

    /** The privileges given on {@code table} as it is now. */
    static List<Grant> read(Connection c, TargetTable table) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT privilege_type, identity_name, identity_type"
                + " FROM svv_relation_privileges WHERE namespace_name = ? AND relation_name = ?")) {
            ps.setString(1, table.schema);
            ps.setString(2, table.name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    add(grants, rs.getString(1), rs.getString(2), rs.getString(3), null);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT privilege_type, identity_name, identity_type,"
                + " column_name FROM svv_column_privileges WHERE namespace_name = ? AND relation_name = ?")) {
            ps.setString(1, table.schema);
            ps.setString(2, table.name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    add(grants, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                }
            }
        }
        return grants;
    }

    private static void add(List<Grant> grants, String privilege, String identity, String type, String column) {
        String p = privilege.trim().toUpperCase(Locale.ROOT);
        if (PRIVILEGES.contains(p)) {
            grants.add(new Grant(p, identity, type == null ? "user" : type.trim(), column));
        }
    }

    /** Gives {@code grants} on {@code table} (the table that replaced the one they were read from). */
    static void give(Connection c, TargetTable table, List<Grant> grants) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Grant grant : grants) {
                String sql = grant.sql(table);
                if (sql != null) {
                    s.execute(sql);
                }
            }
        }
    }
}

package io.zeroetl.redshift.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What schema following reads of the target's catalog (the information_schema views Redshift keeps:
 * c_unsupported-postgresql-features does not list them), and names that avoid what is there.
 */
final class TargetCatalog {
    private TargetCatalog() {}

    static String unused(String base, List<String> taken) {
        String name = base;
        while (taken.contains(name)) {
            name += "_";
        }
        return name;
    }

    static List<String> targetColumns(Connection c, TargetTable table) throws SQLException {
        return names(
                c,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                        + " ORDER BY ordinal_position",
                table.schema,
                table.name);
    }

    static List<String> tables(Connection c, TargetTable table) throws SQLException {
        return names(
                c,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name <> ?",
                table.schema,
                table.name);
    }

    static List<String> names(Connection c, String sql, String schema, String name) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}

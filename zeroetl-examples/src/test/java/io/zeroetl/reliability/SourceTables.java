package io.zeroetl.reliability;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The source's tables in {@code public} that the pipeline replicates (all but the excluded ones). */
final class SourceTables {
    private SourceTables() {}

    static List<String> replicated(Rig rig, String... excluded) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = rig.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
            while (rs.next()) {
                if (!Set.of(excluded).contains(rs.getString(1))) {
                    tables.add("public." + rs.getString(1));
                }
            }
        }
        return tables;
    }
}

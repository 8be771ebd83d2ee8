package io.zeroetl.testing.redshift;

import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for the emulator ITs. */
final class EmulatorFixture {
    private EmulatorFixture() {}

    /** Runs each statement through the emulator on one connection. */
    static void run(RedshiftEmulator redshift, String... statements) throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The first column of every row of {@code sql}, as strings, through the emulator. */
    static List<String> column(RedshiftEmulator redshift, String sql) throws SQLException {
        try (Connection c = redshift.connect()) {
            return column(c, sql);
        }
    }

    static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The first column of every row of {@code sql}, read from the backing PostgreSQL directly. */
    static List<String> postgres(RedshiftEmulator redshift, String sql) throws SQLException {
        try (Connection c = redshift.connectPostgres()) {
            return column(c, sql);
        }
    }
}

package io.zeroetl.testing.internal.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Dropping a test database with everything that would hold it: its replication slots and its sessions. */
public final class Databases {
    private Databases() {}

    /**
     * Drops {@code name} if it exists, with the replication slots in it (ending the sessions that use them)
     * and any open sessions.
     *
     * @param c a superuser's connection to another database
     * @param name the database's name
     * @throws SQLException when the server refuses
     */
    public static void drop(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(active_pid) FROM"
                + " pg_replication_slots WHERE database = ? AND active_pid IS NOT NULL")) {
            ps.setString(1, name);
            ps.executeQuery().close();
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT slot_name FROM pg_replication_slots WHERE database = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try (PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name)"
                            + " FROM pg_replication_slots WHERE slot_name = ? AND NOT active")) {
                        // a temporary slot may vanish by itself meanwhile (its session ended)
                        drop.setString(1, rs.getString(1));
                        drop.executeQuery().close();
                    }
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + "\"" + name.replace("\"", "\"\"") + "\"" + " WITH (FORCE)");
        }
    }
}

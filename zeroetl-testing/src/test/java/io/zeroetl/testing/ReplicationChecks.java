package io.zeroetl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What every PostgreSQL fixture must support: a pgoutput slot that sees an inserted row. */
final class ReplicationChecks {
    private ReplicationChecks() {}

    /**
     * In a fresh database: creates a table, a publication and a pgoutput slot, inserts a row, and
     * returns the pgoutput messages the slot holds (peeked, not consumed).
     */
    static List<byte[]> insertIsDecodedByPgoutput(EmbeddedPostgres pg, String marker) throws SQLException {
        String db = pg.createDatabase();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            s.execute("CREATE PUBLICATION zeroetl_pub FOR TABLE orders");
            s.execute("SELECT pg_create_logical_replication_slot('zeroetl_slot', 'pgoutput')");
            s.execute("INSERT INTO orders VALUES (1, '" + marker + "')");
            List<byte[]> messages = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT data FROM pg_logical_slot_peek_binary_changes('zeroetl_slot',"
                    + " NULL, NULL, 'proto_version', '1', 'publication_names', 'zeroetl_pub')")) {
                while (rs.next()) {
                    messages.add(rs.getBytes(1));
                }
            }
            return messages;
        } finally {
            pg.dropDatabase(db);
        }
    }

    /** Asserts the messages are Begin, Relation, Insert (carrying {@code marker}), Commit. */
    static void assertSingleInsert(List<byte[]> messages, String marker) {
        assertThat(messages).extracting(m -> (char) m[0]).containsExactly('B', 'R', 'I', 'C');
        String insert = new String(messages.get(2), StandardCharsets.UTF_8);
        assertThat(insert).contains(marker);
        assertThat(new String(messages.get(1), StandardCharsets.UTF_8)).contains("orders");
    }
}

package io.zeroetl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
class EmbeddedPostgresIT {

    @Test
    void insertAppearsInPgoutputSlotChanges(EmbeddedPostgres pg) throws SQLException {
        List<byte[]> messages = ReplicationChecks.insertIsDecodedByPgoutput(pg, "seed-order-1");

        ReplicationChecks.assertSingleInsert(messages, "seed-order-1");
    }

    @Test
    void defaultServerIsVersion16FromMavenBinariesReadyForLogicalReplication(EmbeddedPostgres pg) throws SQLException {
        assertThat(pg.backend()).isEqualTo(PostgresBackend.MAVEN);
        assertThat(pg.majorVersion()).isEqualTo(EmbeddedPostgres.DEFAULT_VERSION);
        assertThat(pg.host()).isEqualTo("127.0.0.1");
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            assertThat(setting(s, "wal_level")).isEqualTo("logical");
            assertThat(Integer.parseInt(setting(s, "max_replication_slots"))).isGreaterThanOrEqualTo(16);
            assertThat(Integer.parseInt(setting(s, "max_wal_senders"))).isGreaterThanOrEqualTo(16);
        }
    }

    @Test
    void sharedServerIsTheSameInstanceForEveryCaller(EmbeddedPostgres pg) {
        assertThat(EmbeddedPostgres.shared()).isSameAs(pg);
    }

    @Test
    void databasesAreIsolatedAndDroppedWithTheirSlots(EmbeddedPostgres pg) throws SQLException {
        String first = pg.createDatabase();
        String second = pg.createDatabase();
        assertThat(first).isNotEqualTo(second);
        try (Connection c = pg.connect(first);
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_create_logical_replication_slot('in_first', 'pgoutput')");
        }

        pg.dropDatabase(first);

        try (Connection c = pg.connect(second);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'in_first'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        assertThatThrownBy(() -> pg.connect(first).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("does not exist");
        pg.dropDatabase(second);
    }

    @Test
    void toStringNeverShowsThePassword(EmbeddedPostgres pg) {
        assertThat(pg.toString()).doesNotContain(pg.password()).contains(Integer.toString(pg.port()));
    }

    private static String setting(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

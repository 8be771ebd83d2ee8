package io.zeroetl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same fixture with PostgreSQL 15 binaries, which the build fetches next to the default 16. */
class EmbeddedPostgres15IT {
    @RegisterExtension
    static EmbeddedPostgresExtension postgres15 = EmbeddedPostgresExtension.dedicated(
            EmbeddedPostgres.builder().backend(PostgresBackend.MAVEN).version(15));

    @Test
    void serverReportsVersion15() {
        assertThat(postgres15.server().majorVersion()).isEqualTo(15);
    }

    @Test
    void insertAppearsInPgoutputSlotChanges() throws SQLException {
        ReplicationChecks.assertSingleInsert(
                ReplicationChecks.insertIsDecodedByPgoutput(postgres15.server(), "pg15-order"), "pg15-order");
    }

    @Test
    void restartKeepsDataAndPort() throws Exception {
        EmbeddedPostgres pg = postgres15.server();
        String db = pg.createDatabase();
        try (var c = pg.connect(db);
                var s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id int)");
            s.execute("INSERT INTO kept VALUES (42)");
        }
        int port = pg.port();

        pg.restart();

        assertThat(pg.port()).isEqualTo(port);
        try (var c = pg.connect(db);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT id FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsData() {
        EmbeddedPostgres own = EmbeddedPostgres.builder().version(15).start();
        Path workDirectory = own.workDirectory().orElseThrow();
        assertThat(workDirectory.resolve("data/PG_VERSION")).exists();

        own.close();

        assertThatThrownBy(own::connect).isInstanceOf(SQLException.class);
        assertThat(workDirectory).doesNotExist();
    }
}

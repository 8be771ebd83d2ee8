package io.zeroetl.postgres;

import io.zeroetl.Lsn;
import io.zeroetl.testing.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** A fresh database on the shared server, with helpers the source ITs share. */
final class SourceFixture implements AutoCloseable {
    final EmbeddedPostgres pg = EmbeddedPostgres.shared();
    final String db = pg.createDatabase();

    PostgresSource source() {
        return PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .statusInterval(Duration.ofMillis(200))
                .build();
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    String value(String query) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    Lsn confirmedFlush(String pipelineId) throws SQLException {
        String lsn = value(
                "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'zeroetl_" + pipelineId + "'");
        return lsn == null ? Lsn.NONE : Lsn.parse(lsn);
    }

    @Override
    public void close() {
        pg.dropDatabase(db);
    }
}

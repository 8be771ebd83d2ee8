package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The source side on every PostgreSQL major version zeroetl supports (binaries fetched by the build): an
 * initial copy, inserts, updates, deletes and a column added while streaming; a second instance of the
 * pipeline that stands by and takes over when the first closes; the slot created for failover where the
 * server can keep it on a standby (17+). The rest of the suite runs on the default version (16).
 */
class VersionMatrixIT {
    private static RedshiftEmulator redshift;

    @BeforeAll
    static void startTarget() {
        redshift = RedshiftEmulator.start();
    }

    @AfterAll
    static void stopTarget() {
        assertThat(redshift.rejectedStatements()).isEmpty();
        redshift.close();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 16, 17, 18})
    void replicatesAndFailsOverBetweenInstancesOn(int version) throws Exception {
        String table = "orders_pg" + version;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version(version).start()) {
            assertThat(pg.majorVersion()).isEqualTo(version);
            String db = pg.createDatabase();
            sql(
                    pg,
                    db,
                    "CREATE TABLE " + table + " (id int PRIMARY KEY, note text)",
                    "INSERT INTO " + table + " SELECT g, 'copied ' || g FROM generate_series(1, 100) g");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .build();
            RedshiftTarget target = RedshiftTarget.builder()
                    .jdbcUrl(redshift.jdbcUrl())
                    .user(redshift.user())
                    .password(redshift.password())
                    .ssl(false)
                    .build();
            String id = "matrix" + version;
            try (Pipeline first = start(source, target, table, id);
                    Pipeline second = start(source, target, table, id)) {
                assertThat(first.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
                assertThat(second.state())
                        .as("one instance streams, the other stands by")
                        .isEqualTo(PipelineState.STANDBY);
                sql(
                        pg,
                        db,
                        "UPDATE " + table + " SET note = 'updated' WHERE id <= 10",
                        "DELETE FROM " + table + " WHERE id > 90",
                        "ALTER TABLE " + table + " ADD COLUMN quantity int",
                        "INSERT INTO " + table + " VALUES (101, 'streamed', 7)");
                assertThat(first.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();

                first.close();
                sql(pg, db, "INSERT INTO " + table + " VALUES (102, 'after the handover', 8)");
                assertThat(second.awaitCaughtUp(Duration.ofSeconds(60)))
                        .as("the standby took over")
                        .isTrue();
                assertThat(second.state()).isEqualTo(PipelineState.STREAMING);
                ValidationReport report = second.validate();
                assertThat(report.clean()).as(report.toString()).isTrue();
                assertThat(count("SELECT count(*) FROM public." + table)).isEqualTo(92);
                assertThat(count("SELECT count(*) FROM public." + table + " WHERE quantity IS NOT NULL"))
                        .isEqualTo(2);
                try (Connection c = pg.connect(db);
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(
                                "SELECT * FROM pg_replication_slots WHERE slot_name = 'zeroetl_" + id + "'")) {
                    assertThat(rs.next()).isTrue();
                    if (version >= 17) {
                        assertThat(rs.getBoolean("failover"))
                                .as("a standby with sync_replication_slots keeps it")
                                .isTrue();
                    }
                }
            } finally {
                source.retire(id);
                source.close();
            }
        }
    }

    private static Pipeline start(PostgresSource source, RedshiftTarget target, String table, String id) {
        return ZeroEtl.from(source)
                .to(target)
                .tables("public." + table)
                .pipelineId(id)
                .flushInterval(Duration.ofMillis(50))
                .standbyPollInterval(Duration.ofMillis(100))
                .start();
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(EmbeddedPostgres pg, String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}

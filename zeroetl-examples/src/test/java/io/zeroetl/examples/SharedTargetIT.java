package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two pipelines writing into one target commit in turns: their batches would otherwise abort each other
 * with serialization errors (Redshift's 1023) on zeroetl's shared state tables, and a validation reading
 * while they run must not make them fail either.
 */
class SharedTargetIT {
    @Test
    void twoPipelinesIntoOneTargetTakeTurnsInsteadOfConflicting() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (RedshiftEmulator redshift = RedshiftEmulator.start()) {
            sql(
                    pg,
                    db,
                    "CREATE TABLE a (id SERIAL PRIMARY KEY, v INT)",
                    "CREATE TABLE b (id SERIAL PRIMARY KEY, v INT)");
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
            try (Pipeline first = ZeroEtl.from(source)
                            .to(target)
                            .tables("public.a")
                            .pipelineId("first")
                            .flushInterval(Duration.ofMillis(20))
                            .start();
                    Pipeline second = ZeroEtl.from(source)
                            .to(target)
                            .tables("public.b")
                            .pipelineId("second")
                            .flushInterval(Duration.ofMillis(20))
                            .start()) {
                long end = System.nanoTime() + 4_000_000_000L;
                try (Connection c = pg.connect(db);
                        Statement s = c.createStatement()) {
                    while (System.nanoTime() < end) {
                        s.execute("INSERT INTO a (v) VALUES (1)");
                        s.execute("INSERT INTO b (v) VALUES (2)");
                    }
                }
                assertThat(first.validate().clean()).isTrue();
                assertThat(second.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
                assertThat(second.validate().clean()).isTrue();
                assertThat(first.status().lastError())
                        .as("no batch of the first pipeline had to be retried")
                        .isEmpty();
                assertThat(second.status().lastError())
                        .as("no batch of the second pipeline had to be retried")
                        .isEmpty();
            } finally {
                source.retire("first");
                source.retire("second");
                source.close();
            }
            assertThat(redshift.rejectedStatements()).isEmpty();
        } finally {
            pg.dropDatabase(db);
        }
    }

    private static void sql(EmbeddedPostgres pg, String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}

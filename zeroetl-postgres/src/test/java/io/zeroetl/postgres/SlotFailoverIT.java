package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.fakes.FakeApplier;
import io.zeroetl.fakes.Harness;
import io.zeroetl.testing.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The slot across a source failover: kept by a standby where PostgreSQL can, never silently lost where not. */
class SlotFailoverIT {
    @Test
    void onPostgres17AndLaterTheSlotIsCreatedForFailover() throws Exception {
        try (EmbeddedPostgres pg18 = EmbeddedPostgres.builder().version(18).start()) {
            String db = pg18.createDatabase();
            try (Connection c = pg18.connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id int PRIMARY KEY)");
            }
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg18.jdbcUrl(db))
                    .user(pg18.user())
                    .password(pg18.password())
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(FakeApplier::new)
                    .tables("public.orders")
                    .pipelineId("fo")
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                try (Connection c = pg18.connect(db);
                        Statement s = c.createStatement();
                        var rs = s.executeQuery(
                                "SELECT failover FROM pg_replication_slots WHERE slot_name = 'zeroetl_fo'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBoolean(1))
                            .as("a standby with sync_replication_slots keeps it")
                            .isTrue();
                }
            }
        }
    }

    @Test
    void aSlotLostUnderARunningPipelineAsAFailoverBefore17LosesItIsFoundAndTheTablesCopiedAgain() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            f.sql("CREATE TABLE orders (id int PRIMARY KEY)", "INSERT INTO orders VALUES (1)");
            FakeApplier applier = new FakeApplier();
            PostgresSource source = f.source();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("lost")
                    .flushInterval(Duration.ofMillis(50))
                    .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                dropSlotUnder(f, "zeroetl_lost");
                // written while the slot is gone: no slot keeps it for the pipeline
                f.sql("INSERT INTO orders VALUES (2)");
                Harness.await(
                        "the tables are copied again",
                        () -> applier.events().stream()
                                .anyMatch(e -> e instanceof InsertEvent i
                                        && i.row().get(0).equals(2)));
                f.sql("INSERT INTO orders VALUES (3)");
                Harness.awaitCaughtUp(pipeline);
                assertThat(applier.events())
                        .filteredOn(InsertEvent.class::isInstance)
                        .extracting(e -> ((InsertEvent) e).row().get(0))
                        .contains(1, 2, 3);
            } finally {
                source.retire("lost");
            }
        }
    }

    @Test
    void withResyncWhenSlotLostOffALostSlotFailsThePipelineSayingWhatHappened() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            f.sql("CREATE TABLE orders (id int PRIMARY KEY)", "INSERT INTO orders VALUES (1)");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(f.pg.jdbcUrl(f.db))
                    .user(f.pg.user())
                    .password(f.pg.password())
                    .statusInterval(Duration.ofMillis(200))
                    .resyncWhenSlotLost(false)
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(FakeApplier::new)
                    .tables("public.orders")
                    .pipelineId("strict")
                    .flushInterval(Duration.ofMillis(50))
                    .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                f.sql("INSERT INTO orders VALUES (2)");
                Harness.awaitCaughtUp(pipeline);
                dropSlotUnder(f, "zeroetl_strict");
                Harness.await("the pipeline fails", () -> pipeline.state() == io.zeroetl.PipelineState.FAILED);
                assertThat(pipeline.status().failure())
                        .contains("zeroetl_strict is gone while the target is at")
                        .contains("the changes since are lost at the source");
                assertThat(f.value("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'zeroetl_strict'"))
                        .as("no slot made up behind the operator's back")
                        .isEqualTo("0");
            } finally {
                source.retire("strict");
            }
        }
    }

    /**
     * Ends the slot's WAL sender, waiting until it has exited, and drops the slot before the pipeline (its
     * retry backoff at least 200 ms) reconnects to it; should the pipeline win that race, again.
     */
    private static void dropSlotUnder(SourceFixture f, String slot) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                f.sql(
                        "SELECT pg_terminate_backend(active_pid, 10000) FROM pg_replication_slots WHERE slot_name = '"
                                + slot + "' AND active_pid IS NOT NULL",
                        "SELECT pg_drop_replication_slot('" + slot + "')");
                return;
            } catch (SQLException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }
}

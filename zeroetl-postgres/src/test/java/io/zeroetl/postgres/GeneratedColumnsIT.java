package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.Column;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.fakes.FakeApplier;
import io.zeroetl.fakes.Harness;
import io.zeroetl.testing.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generated columns: PostgreSQL 18 publishes them when the publication asks (zeroetl's does), so their values
 * replicate, copied and streamed; earlier versions do not, so the column is left out and the table's status
 * says so — never a silent omission.
 */
class GeneratedColumnsIT {
    private static final TableId ORDERS = TableId.of("public", "orders");

    @Test
    void beforePostgres18AGeneratedColumnIsLeftOutAndTheStatusSaysSo() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            f.sql(
                    "CREATE TABLE orders (id int PRIMARY KEY, qty int, doubled int GENERATED ALWAYS AS (qty * 2) STORED)",
                    "INSERT INTO orders (id, qty) VALUES (1, 5)");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("gen16")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                assertThat(pipeline.status().table(ORDERS).orElseThrow().note())
                        .contains("generated column(s) doubled are not replicated");
            }
        }
        assertThat(columns(applier)).containsExactly("id", "qty");
    }

    @Test
    void onPostgres18AGeneratedColumnReplicatesCopiedAndStreamed() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (EmbeddedPostgres pg18 = EmbeddedPostgres.builder().version(18).start()) {
            String db = pg18.createDatabase();
            try (Connection c = pg18.connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id int PRIMARY KEY, qty int, doubled int GENERATED ALWAYS AS (qty * 2)"
                        + " STORED)");
                s.execute("INSERT INTO orders (id, qty) VALUES (1, 5)");
            }
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg18.jdbcUrl(db))
                    .user(pg18.user())
                    .password(pg18.password())
                    .statusInterval(Duration.ofMillis(200))
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("gen18")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                try (Connection c = pg18.connect(db);
                        Statement s = c.createStatement()) {
                    s.execute("INSERT INTO orders (id, qty) VALUES (2, 7)");
                    s.execute("UPDATE orders SET qty = 10 WHERE id = 1");
                }
                Harness.awaitCaughtUp(pipeline);
                assertThat(pipeline.status().table(ORDERS).orElseThrow().note()).isNull();
            }
        }
        assertThat(columns(applier)).containsExactly("id", "qty", "doubled");
        assertThat(applier.events())
                .filteredOn(InsertEvent.class::isInstance)
                .extracting(e -> ((InsertEvent) e).row().get(2))
                .containsExactly(10, 14);
        assertThat(applier.events())
                .filteredOn(UpdateEvent.class::isInstance)
                .extracting(e -> ((UpdateEvent) e).newRow().get(2))
                .containsExactly(20);
    }

    private static List<String> columns(FakeApplier applier) {
        return applier.events().stream()
                .filter(RelationEvent.class::isInstance)
                .map(e -> ((RelationEvent) e).schema())
                .reduce((a, b) -> b)
                .orElseThrow()
                .columns()
                .stream()
                .map(Column::name)
                .toList();
    }
}

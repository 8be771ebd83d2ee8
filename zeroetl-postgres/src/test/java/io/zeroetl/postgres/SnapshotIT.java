package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtl;
import io.zeroetl.fakes.FakeApplier;
import io.zeroetl.fakes.Harness;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The initial copy and the stream meet exactly: no change lost, none applied twice. */
class SnapshotIT {
    private static final TableId ORDERS = TableId.of("public", "orders");

    @Test
    void copyTakenDuringConcurrentWritesConvergesToExactlyTheSourceRows() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            f.sql(
                    "CREATE TABLE orders (id INT PRIMARY KEY, qty INT, note TEXT)",
                    "INSERT INTO orders SELECT g, g % 7, repeat('n', g % 50) FROM generate_series(1, 30000) g",
                    "ANALYZE orders");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger transactions = new AtomicInteger();
            Thread writer = new Thread(() -> write(f, writing, transactions), "concurrent-writer");
            writer.start();
            Harness.await("the writer to get going", () -> transactions.get() > 20);
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(f.pg.jdbcUrl(f.db))
                    .user(f.pg.user())
                    .password(f.pg.password())
                    .snapshotParallelism(2)
                    .snapshotChunkBlocks(40)
                    .statusInterval(Duration.ofMillis(200))
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("snap")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.await("a few more writes during and after the copy", () -> transactions.get() > 300);
                writing.set(false);
                writer.join();
                Harness.awaitCaughtUp(pipeline);

                assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
                assertThat(pipeline.status().table(ORDERS)).hasValueSatisfying(t -> {
                    assertThat(t.copiedRows()).isGreaterThanOrEqualTo(29_000);
                    assertThat(t.estimatedRows()).isEqualTo(30_000);
                });
            }
            assertThat(TargetModel.of(applier.events()).lines()).isEqualTo(sourceRows(f));
        }
    }

    private static void write(SourceFixture f, AtomicBoolean writing, AtomicInteger transactions) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Connection c = f.pg.connect(f.db);
                Statement s = c.createStatement()) {
            int next = 100_000;
            while (writing.get()) {
                int id = random.nextInt(1, 30_000);
                switch (random.nextInt(3)) {
                    case 0 -> s.execute("INSERT INTO orders VALUES (" + next++ + ", 1, 'new')");
                    case 1 -> s.execute("UPDATE orders SET qty = qty + 1, note = 'upd' WHERE id = " + id);
                    default -> s.execute("DELETE FROM orders WHERE id = " + id);
                }
                transactions.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> sourceRows(SourceFixture f) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = f.pg.connect(f.db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, qty, note FROM orders ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getInt(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }
}

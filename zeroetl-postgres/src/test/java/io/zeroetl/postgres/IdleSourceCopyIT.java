package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.fakes.FakeApplier;
import io.zeroetl.fakes.Harness;
import io.zeroetl.testing.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A copy asked for while the pipeline streams (a resync, a table created while running) on a source nobody
 * writes to (and that sends no keepalives: {@code wal_sender_timeout = 0}) completes promptly: its rows are
 * served without a poll of the idle replication socket for each, which costs a millisecond apiece in pgjdbc
 * and made such a copy of 50,000 rows take over a minute (the benchmark's stall).
 */
class IdleSourceCopyIT {
    private static final TableId ORDERS = TableId.of("public", "orders");

    @Test
    void aResyncOnASourceNobodyWritesToCompletes() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .serverSetting("wal_sender_timeout", "0")
                .start()) {
            String db = pg.createDatabase();
            try (Connection c = pg.connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id int PRIMARY KEY, v text)");
                s.execute("INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 50000) g");
            }
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("idle")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                int before = inserts(applier);

                pipeline.resync("public.orders");
                Harness.await(
                        "the resync to finish on an idle source",
                        () -> pipeline.status()
                                        .table(ORDERS)
                                        .map(t -> t.state() == TableState.SYNCED)
                                        .orElse(false)
                                && inserts(applier) >= before + 50_000);
            }
            source.retire("idle");
            source.close();
        }
        assertThat(inserts(applier)).isEqualTo(100_000);
    }

    private static int inserts(FakeApplier applier) {
        return (int)
                applier.events().stream().filter(InsertEvent.class::isInstance).count();
    }
}

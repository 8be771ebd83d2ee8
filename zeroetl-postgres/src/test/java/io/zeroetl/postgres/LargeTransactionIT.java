package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.Batch;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.EmbeddedPostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol v2: a transaction larger than logical_decoding_work_mem is streamed in chunks while in
 * progress; it arrives whole at its commit, and a streamed transaction that aborts leaves nothing.
 */
class LargeTransactionIT {
    @RegisterExtension
    static EmbeddedPostgresExtension postgres = EmbeddedPostgresExtension.dedicated(
            EmbeddedPostgres.builder().serverSetting("logical_decoding_work_mem", "64kB"));

    /** Counts rows per committed batch, keeping nothing else. */
    static final class Counting implements ChangeApplier {
        final List<long[]> batches = new CopyOnWriteArrayList<>();
        volatile Lsn committed = Lsn.NONE;

        @Override
        public Optional<Lsn> start(ApplierContext context) {
            return committed.equals(Lsn.NONE) ? Optional.empty() : Optional.of(committed);
        }

        @Override
        public void apply(Batch batch) {
            long rows = 0;
            long first = -1;
            long last = -1;
            for (ChangeEvent e = batch.next(); e != null; e = batch.next()) {
                if (e instanceof InsertEvent insert) {
                    long id = ((Number) insert.row().get(0)).longValue();
                    first = first < 0 ? id : first;
                    last = id;
                    rows++;
                }
            }
            batches.add(new long[] {rows, first, last});
            committed = batch.endPosition();
        }

        @Override
        public void close() {}

        long rows() {
            return batches.stream().mapToLong(b -> b[0]).sum();
        }
    }

    @Test
    void millionRowStreamedTransactionArrivesWholeAndAnAbortedOneLeavesNothing() throws Exception {
        EmbeddedPostgres pg = postgres.server();
        String db = pg.createDatabase();
        Counting applier = new Counting();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, note TEXT)");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(() -> applier)
                    .tables("public.big")
                    .pipelineId("big")
                    .flushInterval(Duration.ofMillis(200))
                    .start()) {
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
                long before = applier.rows();

                s.execute(
                        "BEGIN; INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1000001, 1100000) g; ROLLBACK");
                s.execute("INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 1000000) g");
                s.execute("BEGIN; INSERT INTO big VALUES (2000000, 'kept'); SAVEPOINT s;"
                        + " INSERT INTO big SELECT g, 'gone' FROM generate_series(3000000, 3050000) g;"
                        + " ROLLBACK TO SAVEPOINT s; INSERT INTO big VALUES (2000001, 'kept'); COMMIT");
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(180))).isTrue();

                assertThat(applier.rows() - before).isEqualTo(1_000_002);
                assertThat(applier.batches).anySatisfy(b -> assertThat(b).containsExactly(1_000_000, 1, 1_000_000));
                assertThat(applier.batches).noneSatisfy(b -> assertThat(b[2]).isGreaterThanOrEqualTo(3_000_000));
                assertThat(spilled(pg, db))
                        .as("the server streamed the transaction in chunks")
                        .isPositive();
            }
            source.retire("big");
            source.close();
        } finally {
            pg.dropDatabase(db);
        }
    }

    private static long spilled(EmbeddedPostgres pg, String db) throws Exception {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT coalesce(sum(stream_txns), 0) FROM pg_stat_replication_slots")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

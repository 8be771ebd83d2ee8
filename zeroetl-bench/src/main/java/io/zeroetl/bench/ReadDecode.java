package io.zeroetl.bench;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.RowChange;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.spi.RawMessage;
import io.zeroetl.spi.StreamRequest;
import io.zeroetl.spi.WalStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Source read + decode over one WAL, side by side: PostgreSQL's own pgoutput emission (peek on a slot),
 * zeroetl's {@code PostgresSource} (reader + decoder, no target), and Debezium's embedded engine. The
 * three slots are created before the workload, so each reads exactly the same changes.
 */
final class ReadDecode {
    record Result(long changes, double limitSeconds, double zeroetlSeconds, Double debeziumSeconds, String debeziumError,
                  String cpu) {
    }

    private ReadDecode() {
    }

    static Result run(Env env, long changes) throws Exception {
        String db = env.newDatabase();
        try (Connection c = env.connect(db); Statement s = c.createStatement()) {
            Workload.create(c);
            s.execute("CREATE PUBLICATION bench_limit FOR TABLE orders, wide");
            s.execute("CREATE PUBLICATION zeroetl_bench_read FOR TABLE orders, wide");
            s.execute("CREATE PUBLICATION dbz_pub FOR TABLE orders, wide");
            s.execute("SELECT pg_create_logical_replication_slot('bench_limit', 'pgoutput')");
            s.execute("SELECT pg_create_logical_replication_slot('zeroetl_bench_read', 'pgoutput')");
            s.execute("SELECT pg_create_logical_replication_slot('dbz', 'pgoutput')");
            String start = Workload.lsn(c);
            long changed = Workload.run(c, changes);
            Bench.log("read+decode: workload of " + changed + " row changes written");

            long t0 = System.nanoTime();
            long emitted;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_logical_slot_peek_binary_changes('bench_limit',"
                    + " NULL, NULL, 'proto_version', '1', 'publication_names', 'bench_limit')")) {
                rs.next();
                emitted = rs.getLong(1);
            }
            double limit = seconds(t0);
            Bench.log("read+decode: PostgreSQL emitted " + emitted + " messages in " + limit + " s");

            CpuMeter meter = CpuMeter.start();
            double zeroetl = zeroetl(env, db, Lsn.parse(start), changed);
            String cpu = meter.summary();
            Bench.log("read+decode: zeroetl " + zeroetl + " s; " + cpu);
            Double debezium = null;
            String error = null;
            try {
                debezium = Debezium.readOnly(env, db, changed);
                Bench.log("read+decode: Debezium " + debezium + " s");
            } catch (Exception | LinkageError e) {
                error = e.toString();
                Bench.log("read+decode: Debezium failed: " + error);
            }
            for (String slot : new String[] {"bench_limit", "zeroetl_bench_read", "dbz"}) {
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + slot + "' AND NOT active");
            }
            return new Result(changed, limit, zeroetl, debezium, error, cpu);
        } finally {
            env.pg.dropDatabase(db);
        }
    }

    /** Reads and decodes the WAL with zeroetl's reader and decoder until every row change arrived. */
    private static double zeroetl(Env env, String db, Lsn start, long changes) throws Exception {
        PostgresSource source = env.source(db);
        AtomicLong rows = new AtomicLong();
        long t0 = System.nanoTime();
        try (WalStream stream = source.reader().open(new StreamRequest("bench_read",
                Set.of(TableId.of("public", "orders"), TableId.of("public", "wide")), start))) {
            while (rows.get() < changes) {
                RawMessage m = stream.read(Duration.ofSeconds(5));
                if (m == null) {
                    throw new IllegalStateException("zeroetl's stream went quiet after " + rows + " of " + changes);
                }
                if (!m.isProgress()) {
                    source.decoder().decode(m, e -> {
                        if (e instanceof RowChange) {
                            rows.incrementAndGet();
                        }
                    });
                }
            }
        } finally {
            source.close();
        }
        return seconds(t0);
    }

    static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
    }
}

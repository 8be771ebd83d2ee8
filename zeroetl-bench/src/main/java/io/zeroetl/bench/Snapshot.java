package io.zeroetl.bench;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The initial copy of a large {@code orders} into the target, staged through INSERTs and through S3 + COPY,
 * against the limit: COPY out of the source and into a plain PostgreSQL table.
 */
final class Snapshot {
    record Result(long rows, Map<Env.Loader, Double> zeroetlSeconds, double copySeconds, Map<Env.Loader, String> cpu) {}

    private Snapshot() {}

    static Result run(Env env, long rows) throws Exception {
        return run(env, rows, List.of(Env.Loader.values()));
    }

    static Result run(Env env, long rows, List<Env.Loader> loaders) throws Exception {
        String db = env.newDatabase();
        String copyTarget = env.newDatabase();
        try {
            env.sql(
                    db,
                    "CREATE TABLE orders (order_id BIGSERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                            + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2))",
                    "INSERT INTO orders (customer_name, total_amount) SELECT 'customer-' || (g % 100000),"
                            + " round((random() * 1000)::numeric, 2) FROM generate_series(1, " + rows + ") g",
                    "VACUUM ANALYZE orders");
            Bench.log("snapshot: " + rows + " rows in the source");
            Map<Env.Loader, Double> seconds = new EnumMap<>(Env.Loader.class);
            Map<Env.Loader, String> cpu = new EnumMap<>(Env.Loader.class);
            for (Env.Loader loader : loaders) {
                String id = "snap_" + loader.name().toLowerCase(Locale.ROOT);
                PostgresSource source = env.source(db);
                CpuMeter meter = CpuMeter.start();
                long t0 = System.nanoTime();
                try (Profiler profiler = Profiler.start();
                        Pipeline pipeline = ZeroEtl.from(source)
                                .to(env.target(loader, id))
                                .tables("public.orders")
                                .pipelineId(id)
                                .start()) {
                    if (!pipeline.awaitCaughtUp(Duration.ofHours(2))) {
                        throw new IllegalStateException("the copy did not finish: " + pipeline.status());
                    }
                    seconds.put(loader, ReadDecode.seconds(t0));
                    cpu.put(loader, meter.summary());
                    Bench.log("snapshot (" + loader + "): " + seconds.get(loader) + " s; " + cpu.get(loader));
                    Bench.log("snapshot (" + loader + ") hot spots:\n" + profiler.hotSpots(15)
                            + "\nby the zeroetl method nearest the top:\n" + profiler.callers(15)
                            + "\nsamples by thread: " + profiler.threads());
                } finally {
                    source.retire(id);
                    source.close();
                }
                try (var rs = env.redshift.connect();
                        var s = rs.createStatement()) {
                    s.execute("DROP TABLE " + id + ".orders");
                }
            }
            env.sql(
                    copyTarget,
                    "CREATE TABLE orders (order_id BIGINT PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                            + " order_date TIMESTAMP, total_amount DECIMAL(10,2))");
            long t1 = System.nanoTime();
            EndToEnd.copyTable(env, db, copyTarget, "orders");
            double copy = ReadDecode.seconds(t1);
            Bench.log("snapshot: zeroetl " + seconds + " s, COPY " + copy + " s");
            return new Result(rows, seconds, copy, cpu);
        } finally {
            env.pg.dropDatabase(db);
            env.pg.dropDatabase(copyTarget);
        }
    }
}

package io.zeroetl.bench;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import java.time.Duration;

/** The initial copy of a large {@code orders} into the target, against COPY out of the source and into a target. */
final class Snapshot {
    record Result(long rows, double zeroetlSeconds, double copySeconds, String cpu) {
    }

    private Snapshot() {
    }

    static Result run(Env env, long rows) throws Exception {
        String db = env.newDatabase();
        String copyTarget = env.newDatabase();
        try {
            env.sql(db, "CREATE TABLE orders (order_id BIGSERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                    + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2))",
                    "INSERT INTO orders (customer_name, total_amount) SELECT 'customer-' || (g % 100000),"
                            + " round((random() * 1000)::numeric, 2) FROM generate_series(1, " + rows + ") g",
                    "VACUUM ANALYZE orders");
            Bench.log("snapshot: " + rows + " rows in the source");
            PostgresSource source = env.source(db);
            double zeroetl;
            String cpu;
            CpuMeter meter = CpuMeter.start();
            long t0 = System.nanoTime();
            try (Pipeline pipeline = ZeroEtl.from(source).to(env.target()).tables("public.orders").pipelineId("snap")
                    .start()) {
                if (!pipeline.awaitCaughtUp(Duration.ofHours(2))) {
                    throw new IllegalStateException("the copy did not finish: " + pipeline.status());
                }
                zeroetl = ReadDecode.seconds(t0);
                cpu = meter.summary();
                Bench.log("snapshot: " + cpu);
            } finally {
                source.retire("snap");
                source.close();
            }
            env.sql(copyTarget, "CREATE TABLE orders (order_id BIGINT PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                    + " order_date TIMESTAMP, total_amount DECIMAL(10,2))");
            long t1 = System.nanoTime();
            EndToEnd.copyTable(env, db, copyTarget, "orders");
            double copy = ReadDecode.seconds(t1);
            Bench.log("snapshot: zeroetl " + zeroetl + " s, COPY " + copy + " s");
            try (var rs = env.redshift.connect(); var s = rs.createStatement()) {
                s.execute("DROP TABLE public.orders");
            }
            return new Result(rows, zeroetl, copy, cpu);
        } finally {
            env.pg.dropDatabase(db);
            env.pg.dropDatabase(copyTarget);
        }
    }
}

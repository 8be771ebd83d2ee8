package io.zeroetl.bench;

import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.postgresql.PGConnection;

/**
 * End to end over one workload, side by side: zeroetl into the Redshift emulator, Debezium's embedded
 * engine plus its JDBC sink into a plain PostgreSQL database (its best case: no Redshift dialect), and the
 * limit, a binary COPY of the same final rows into a plain PostgreSQL database.
 */
final class EndToEnd {
    record Result(long changes, double zeroetlSeconds, boolean validated, Double debeziumSeconds, String debeziumError,
                  double copySeconds, long finalRows, List<double[]> zeroetlSeries, List<double[]> debeziumSeries,
                  String profile, String cpu) {
    }

    private EndToEnd() {
    }

    static Result run(Env env, long changes) throws Exception {
        String db = env.newDatabase();
        String jdbcTarget = env.newDatabase();
        String copyTarget = env.newDatabase();
        try (Connection c = env.connect(db); Statement s = c.createStatement()) {
            Workload.create(c);
            s.execute("CREATE PUBLICATION zeroetl_e2e FOR TABLE orders, wide");
            s.execute("CREATE PUBLICATION dbz_e2e_pub FOR TABLE orders, wide");
            s.execute("SELECT pg_create_logical_replication_slot('zeroetl_e2e', 'pgoutput')");
            s.execute("SELECT pg_create_logical_replication_slot('dbz_e2e', 'pgoutput')");
            Lsn start = Lsn.parse(Workload.lsn(c));
            long changed = Workload.run(c, changes);
            long finalRows = Workload.rows(c, "orders") + Workload.rows(c, "wide");
            Bench.log("end to end: workload of " + changed + " row changes, " + finalRows + " final rows");

            // zeroetl: the target starts at the slot's position, as a pipeline that has been running would
            try (Connection rs = env.redshift.connect(); Statement t = rs.createStatement()) {
                t.execute("CREATE SCHEMA IF NOT EXISTS zeroetl");
                t.execute("CREATE TABLE IF NOT EXISTS zeroetl.zeroetl_state (pipeline_id VARCHAR(64) NOT NULL, lsn BIGINT"
                        + " NOT NULL, source_commit_time TIMESTAMP, applied_at TIMESTAMP, PRIMARY KEY (pipeline_id))");
                try (PreparedStatement ps = rs.prepareStatement("INSERT INTO zeroetl.zeroetl_state VALUES ('e2e',"
                        + " CAST(? AS BIGINT), NULL, NULL)")) {
                    ps.setString(1, Long.toString(start.value()));
                    ps.executeUpdate();
                }
            }
            List<double[]> zeroetlSeries = new ArrayList<>();
            PostgresSource source = env.source(db);
            double zeroetl;
            boolean validated;
            String profile;
            String cpu;
            try (Profiler profiler = Profiler.start()) {
                CpuMeter meter = CpuMeter.start();
                long t0 = System.nanoTime();
                try (Pipeline pipeline = ZeroEtl.from(source).to(env.target()).tables("public.orders", "public.wide")
                        .pipelineId("e2e").start()) {
                    long applied = 0;
                    while (!pipeline.awaitCaughtUp(Duration.ofMillis(500))) {
                        long now = pipeline.status().tables().values().stream()
                                .mapToLong(x -> x.inserts() + x.updates() + x.deletes()).sum();
                        zeroetlSeries.add(new double[] {(System.nanoTime() - t0) / 1e9, (now - applied) * 2.0});
                        applied = now;
                    }
                    zeroetl = ReadDecode.seconds(t0);
                    cpu = meter.summary();
                    profile = profiler.hotSpots(12);
                    Bench.log("end to end: " + cpu);
                    ValidationReport report = pipeline.validate();
                    validated = report.clean();
                    Bench.log("end to end: zeroetl " + zeroetl + " s, validation " + (validated ? "clean" : report));
                }
            }
            source.retire("e2e");
            source.close();

            List<double[]> dbzSeries = new ArrayList<>();
            Double debezium = null;
            String error = null;
            try {
                long t0 = System.nanoTime();
                long[] last = {0, t0};
                debezium = Debezium.toJdbc(env, db, jdbcTarget, changed, count -> {
                    long now = System.nanoTime();
                    if (now - last[1] >= 500_000_000L) {
                        dbzSeries.add(new double[] {(now - t0) / 1e9, (count - last[0]) / ((now - last[1]) / 1e9)});
                        last[0] = count;
                        last[1] = now;
                    }
                });
                long landed;
                try (Connection t = env.connect(jdbcTarget)) {
                    landed = Workload.rows(t, "orders") + Workload.rows(t, "wide");
                }
                if (landed != finalRows) {
                    error = "the JDBC sink's target has " + landed + " rows, the source " + finalRows;
                    debezium = null;
                }
                Bench.log("end to end: Debezium + JDBC sink " + debezium + " s, " + landed + " rows in its target");
            } catch (Exception | LinkageError e) {
                error = e.toString();
                Bench.log("end to end: Debezium failed: " + error);
            }
            double copy = copy(env, db, copyTarget);
            Bench.log("end to end: COPY limit " + copy + " s");
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name IN"
                    + " ('zeroetl_e2e', 'dbz_e2e') AND NOT active");
            return new Result(changed, zeroetl, validated, debezium, error, copy, finalRows, zeroetlSeries, dbzSeries,
                    profile, cpu);
        } finally {
            env.pg.dropDatabase(db);
            env.pg.dropDatabase(jdbcTarget);
            env.pg.dropDatabase(copyTarget);
        }
    }

    /** Seconds to COPY the final rows of both tables from {@code db} into {@code target} (binary, streamed). */
    static double copy(Env env, String db, String target) throws Exception {
        try (Connection t = env.connect(target)) {
            Workload.create(t);
        }
        long t0 = System.nanoTime();
        for (String table : new String[] {"orders", "wide"}) {
            copyTable(env, db, target, table);
        }
        return ReadDecode.seconds(t0);
    }

    static void copyTable(Env env, String db, String target, String table) throws Exception {
        try (Connection from = env.connect(db); Connection to = env.connect(target)) {
            PipedOutputStream out = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(out, 1 << 20);
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
                try (out) {
                    return from.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table + " TO STDOUT (FORMAT binary)",
                            out);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            to.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN (FORMAT binary)", in);
            writer.join();
        }
    }
}

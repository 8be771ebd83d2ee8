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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.postgresql.PGConnection;

/**
 * End to end over one workload, side by side: zeroetl into the Redshift emulator staging through INSERTs and
 * through S3 + COPY, Debezium's embedded engine plus its JDBC sink into a plain PostgreSQL database (its best
 * case: no Redshift dialect), and the limit, a binary COPY of the same final rows into a plain PostgreSQL
 * database. Each zeroetl run starts as a pipeline that has been running would (its position at its slot's,
 * both tables copied while empty), so it measures streaming only; a run whose applied count stops moving for
 * 30 s while changes are pending fails the benchmark rather than charting a stall.
 */
final class EndToEnd {
    /** One zeroetl run: its time, its check, and what it sent to the target and to S3. */
    record Run(
            Env.Loader loader,
            double seconds,
            boolean validated,
            List<double[]> series,
            String cpu,
            String profile,
            long statements,
            long commits,
            long targetBytes,
            long s3Bytes,
            double pipelineCpuSeconds) {}

    record Result(
            long changes,
            List<Run> runs,
            Double debeziumSeconds,
            String debeziumError,
            double copySeconds,
            long finalRows,
            List<double[]> debeziumSeries) {
        Run run(Env.Loader loader) {
            return runs.stream().filter(r -> r.loader() == loader).findFirst().orElseThrow();
        }
    }

    private static final Duration STALL = Duration.ofSeconds(30);

    private EndToEnd() {}

    static Result run(Env env, long changes) throws Exception {
        return run(env, changes, List.of(Env.Loader.values()));
    }

    /** The same with zeroetl staged only by {@code loaders} (each against the same Debezium run). */
    static Result run(Env env, long changes, List<Env.Loader> loaders) throws Exception {
        String db = env.newDatabase();
        String jdbcTarget = env.newDatabase();
        String copyTarget = env.newDatabase();
        try (Connection c = env.connect(db);
                Statement s = c.createStatement()) {
            Workload.create(c);
            for (Env.Loader loader : loaders) {
                String id = id(loader);
                s.execute("CREATE PUBLICATION zeroetl_" + id + " FOR TABLE orders, wide");
                s.execute("SELECT pg_create_logical_replication_slot('zeroetl_" + id + "', 'pgoutput')");
            }
            s.execute("CREATE PUBLICATION dbz_e2e_pub FOR TABLE orders, wide");
            s.execute("SELECT pg_create_logical_replication_slot('dbz_e2e', 'pgoutput')");
            Lsn start = Lsn.parse(Workload.lsn(c));
            long changed = Workload.run(c, changes);
            long finalRows = Workload.rows(c, "orders") + Workload.rows(c, "wide");
            Bench.log("end to end: workload of " + changed + " row changes, " + finalRows + " final rows");

            List<Run> runs = new ArrayList<>();
            for (Env.Loader loader : loaders) {
                runs.add(zeroetl(env, db, start, loader, changed));
            }

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
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'dbz_e2e'"
                    + " AND NOT active");
            return new Result(changed, runs, debezium, error, copy, finalRows, dbzSeries);
        } finally {
            env.pg.dropDatabase(db);
            env.pg.dropDatabase(jdbcTarget);
            env.pg.dropDatabase(copyTarget);
        }
    }

    /**
     * zeroetl alone through {@code loader} on the same workload (no Debezium, no COPY limit): its pipeline CPU
     * per million changes and where it goes, for tuning the load path.
     */
    static Run zeroetlOnly(Env env, long changes, Env.Loader loader) throws Exception {
        String db = env.newDatabase();
        try (Connection c = env.connect(db);
                Statement s = c.createStatement()) {
            Workload.create(c);
            String id = id(loader);
            s.execute("CREATE PUBLICATION zeroetl_" + id + " FOR TABLE orders, wide");
            s.execute("SELECT pg_create_logical_replication_slot('zeroetl_" + id + "', 'pgoutput')");
            Lsn start = Lsn.parse(Workload.lsn(c));
            long changed = Workload.run(c, changes);
            Run run = zeroetl(env, db, start, loader, changed);
            Bench.log(String.format(
                    "end to end (%s): %d changes in %.1f s, pipeline CPU %.1f s = %.1f CPU-s per million changes,"
                            + " %.0f bytes to S3 a change; hot spots:%n%s",
                    loader,
                    changed,
                    run.seconds(),
                    run.pipelineCpuSeconds(),
                    run.pipelineCpuSeconds() * 1e6 / changed,
                    (double) run.s3Bytes() / changed,
                    run.profile()));
            return run;
        } finally {
            env.pg.dropDatabase(db);
        }
    }

    private static String id(Env.Loader loader) {
        return "e2e_" + loader.name().toLowerCase(Locale.ROOT);
    }

    /** One zeroetl run from the slot's position, into a schema of its own. */
    private static Run zeroetl(Env env, String db, Lsn start, Env.Loader loader, long changes) throws Exception {
        String id = id(loader);
        try (Connection rs = env.redshift.connect();
                Statement t = rs.createStatement()) {
            // as a pipeline that has been running would hold it: a position, and both tables copied while empty
            t.execute("CREATE SCHEMA IF NOT EXISTS zeroetl");
            t.execute("CREATE TABLE IF NOT EXISTS zeroetl.zeroetl_state (pipeline_id VARCHAR(64) NOT NULL, lsn BIGINT"
                    + " NOT NULL, source_commit_time TIMESTAMP, applied_at TIMESTAMP, PRIMARY KEY (pipeline_id))");
            t.execute("CREATE TABLE IF NOT EXISTS zeroetl.zeroetl_table_state (pipeline_id VARCHAR(64) NOT NULL,"
                    + " table_name VARCHAR(1024) NOT NULL, state VARCHAR(32) NOT NULL, reason VARCHAR(4000),"
                    + " updated_at TIMESTAMP)");
            try (PreparedStatement ps = rs.prepareStatement(
                    "INSERT INTO zeroetl.zeroetl_state VALUES (?," + " CAST(? AS BIGINT), NULL, NULL)")) {
                ps.setString(1, id);
                ps.setString(2, Long.toString(start.value()));
                ps.executeUpdate();
            }
            for (String table : new String[] {"orders", "wide"}) {
                t.execute("INSERT INTO zeroetl.zeroetl_table_state VALUES ('" + id + "', '\"public\".\"" + table
                        + "\"', 'SYNCED', NULL, GETDATE())");
            }
        }
        List<double[]> series = new ArrayList<>();
        PostgresSource source = env.source(db);
        env.redshift.clearStatements();
        long targetBytes0 = env.toRedshift.bytesForwarded();
        long s3Bytes0 = env.toS3.bytesForwarded();
        Run run;
        try (Profiler profiler = Profiler.start()) {
            CpuMeter meter = CpuMeter.start();
            long t0 = System.nanoTime();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(env.target(loader, id))
                    .tables("public.orders", "public.wide")
                    .pipelineId(id)
                    .start()) {
                long applied = 0;
                long movedAt = System.nanoTime();
                while (!pipeline.awaitCaughtUp(Duration.ofMillis(500))) {
                    long now = pipeline.status().tables().values().stream()
                            .mapToLong(x -> x.inserts() + x.updates() + x.deletes())
                            .sum();
                    series.add(new double[] {(System.nanoTime() - t0) / 1e9, (now - applied) * 2.0});
                    if (now != applied) {
                        movedAt = System.nanoTime();
                    } else if (System.nanoTime() - movedAt > STALL.toNanos()) {
                        throw new IllegalStateException("end to end (" + loader + ") stalled: no change applied for "
                                + STALL.toSeconds() + " s with changes pending; " + pipeline.status());
                    }
                    applied = now;
                }
                double seconds = ReadDecode.seconds(t0);
                String cpu = meter.summary();
                double pipelineCpu = meter.seconds(CpuMeter.PIPELINE);
                String profile =
                        profiler.hotSpots(12) + "\n\nBy the zeroetl method nearest the top:\n\n" + profiler.callers(12);
                long statements = env.redshift.statements().size();
                // each batch commits once, with its position (the driver commits through the protocol)
                long commits = env.redshift.statements().stream()
                        .filter(x -> x.sql().strip().startsWith("DELETE FROM \"zeroetl\".\"zeroetl_state\""))
                        .count();
                long targetBytes = env.toRedshift.bytesForwarded() - targetBytes0;
                long s3Bytes = env.toS3.bytesForwarded() - s3Bytes0;
                Bench.log("end to end (" + loader + "): " + cpu);
                ValidationReport report = pipeline.validate();
                Bench.log("end to end (" + loader + "): zeroetl " + seconds + " s, validation "
                        + (report.clean() ? "clean" : report));
                run = new Run(
                        loader,
                        seconds,
                        report.clean(),
                        series,
                        cpu,
                        profile,
                        statements,
                        commits,
                        targetBytes,
                        s3Bytes,
                        pipelineCpu);
            }
        } finally {
            source.retire(id);
            source.close();
        }
        return run;
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
        try (Connection from = env.connect(db);
                Connection to = env.connect(target)) {
            PipedOutputStream out = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(out, 1 << 20);
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
                try (out) {
                    return from.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyOut("COPY " + table + " TO STDOUT (FORMAT binary)", out);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            to.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN (FORMAT binary)", in);
            writer.join();
        }
    }
}

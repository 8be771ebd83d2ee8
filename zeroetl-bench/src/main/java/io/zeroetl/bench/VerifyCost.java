package io.zeroetl.bench;

import io.zeroetl.DriftAction;
import io.zeroetl.Pipeline;
import io.zeroetl.Verification;
import io.zeroetl.VerificationStatus;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * What continuous verification costs, side by side in one run: the same steady workload (a writer updating and
 * inserting as fast as it can) replicated for the same time with verification off and with it verifying without
 * pause at the default budget (its worst case: every table due at once, the rows-per-second budget the only
 * brake), over a table of {@code tableRows} rows and the table being written. Reports row changes applied per
 * second, rows verified per second, and CPU by part.
 */
final class VerifyCost {
    record Side(
            String label,
            double appliedPerSecond,
            double verifiedPerSecond,
            long maxLagMillis,
            long drifts,
            String cpu) {}

    /**
     * Steady: the writer held to a rate the pipeline keeps up with, for {@code seconds}; saturated: the same
     * {@code saturated} transactions (120 row changes each) written as fast as they go, timed until the target holds
     * them all.
     */
    record Result(
            long tableRows,
            int seconds,
            int saturated,
            Side steadyOff,
            Side steadyOn,
            Side saturatedOff,
            Side saturatedOn) {
        double throughputRatio() {
            return saturatedOn.appliedPerSecond() / saturatedOff.appliedPerSecond();
        }
    }

    private VerifyCost() {}

    static Result run(Env env, long tableRows, int seconds, int transactionsPerSecond, int saturated) throws Exception {
        Verification on = Verification.every(Duration.ofSeconds(1)).onDrift(DriftAction.REPORT);
        Side steadyOff = side(env, "steady_off", Verification.off(), tableRows, seconds, transactionsPerSecond, 0);
        Side steadyOn = side(env, "steady_on", on, tableRows, seconds, transactionsPerSecond, 0);
        Side saturatedOff = side(env, "saturated_off", Verification.off(), tableRows, 0, 0, saturated);
        Side saturatedOn = side(env, "saturated_on", on, tableRows, 0, 0, saturated);
        Result result = new Result(tableRows, seconds, saturated, steadyOff, steadyOn, saturatedOff, saturatedOn);
        Bench.log(String.format(
                "verification cost: steady %.0f changes/s off, %.0f on, %.0f rows verified/s, max lag %d vs %d ms;"
                        + " saturated %.0f changes/s off, %.0f on (%.3f)",
                steadyOff.appliedPerSecond(),
                steadyOn.appliedPerSecond(),
                steadyOn.verifiedPerSecond(),
                steadyOff.maxLagMillis(),
                steadyOn.maxLagMillis(),
                saturatedOff.appliedPerSecond(),
                saturatedOn.appliedPerSecond(),
                result.throughputRatio()));
        return result;
    }

    private static Side side(
            Env env,
            String label,
            Verification verification,
            long tableRows,
            int seconds,
            int transactionsPerSecond,
            int transactions)
            throws Exception {
        String db = env.newDatabase();
        String id = "verify_" + label;
        PostgresSource source = env.source(db);
        try {
            env.sql(
                    db,
                    "CREATE TABLE big (id BIGINT PRIMARY KEY, customer_name VARCHAR(100), amount DECIMAL(10,2),"
                            + " created TIMESTAMP, note TEXT)",
                    "INSERT INTO big SELECT g, 'customer-' || (g % 100000), round((random() * 1000)::numeric, 2),"
                            + " timestamp '2024-01-01' + g * interval '1 second', md5(g::text) FROM generate_series(1, "
                            + tableRows + ") g",
                    "CREATE TABLE hot (id INT PRIMARY KEY, n INT, note TEXT)",
                    "INSERT INTO hot SELECT g, 0, md5(g::text) FROM generate_series(1, 10000) g");
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(env.target(Env.Loader.INSERT, id))
                    .tables("public.big", "public.hot")
                    .pipelineId(id)
                    .verification(verification)
                    .start()) {
                if (!pipeline.awaitCaughtUp(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("verification cost (" + label + "): the copy did not finish");
                }
                AtomicBoolean stop = new AtomicBoolean();
                Thread writer = new Thread(
                        () -> write(env, db, tableRows + 1, transactionsPerSecond, transactions, stop),
                        "verify-cost-writer");
                long applied0 = applied(pipeline);
                long verified0 = pipeline.status().verification().rowsVerified();
                CpuMeter meter = CpuMeter.start();
                long t0 = System.nanoTime();
                writer.start();
                long maxLag = 0;
                // steady: for the time given; saturated (no time given): until the writer wrote its transactions
                for (long end = t0 + seconds * 1_000_000_000L;
                        seconds > 0 ? System.nanoTime() < end : writer.isAlive(); ) {
                    writer.join(200);
                    maxLag = Math.max(maxLag, pipeline.status().lagMillis());
                }
                stop.set(true);
                writer.join();
                if (!pipeline.awaitCaughtUp(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("verification cost (" + label + "): did not catch up");
                }
                double elapsed = ReadDecode.seconds(t0);
                String cpu = meter.summary();
                VerificationStatus status = pipeline.status().verification();
                Bench.log("verification cost (" + label + "): " + cpu + "; " + status);
                return new Side(
                        label,
                        (applied(pipeline) - applied0) / elapsed,
                        (status.rowsVerified() - verified0) / elapsed,
                        maxLag,
                        status.drifts().size(),
                        cpu);
            }
        } finally {
            source.retire(id);
            source.close();
            env.pg.dropDatabase(db);
        }
    }

    private static long applied(Pipeline pipeline) {
        return pipeline.status().tables().values().stream()
                .mapToLong(t -> t.inserts() + t.updates() + t.deletes())
                .sum();
    }

    /** Transactions of 100 updates and 20 inserts, {@code perSecond} a second (0: back to back), until {@code stop} or {@code limit} (0: none). */
    private static void write(Env env, String db, long firstNewKey, int perSecond, int limit, AtomicBoolean stop) {
        try (Connection c = env.connect(db);
                Statement s = c.createStatement()) {
            long next = firstNewKey;
            long start = System.nanoTime();
            for (int i = 0; !stop.get() && (limit == 0 || i < limit); i++) {
                if (perSecond > 0) {
                    long due = start + i * 1_000_000_000L / perSecond;
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                int from = 1 + (i * 100) % 9_900;
                s.execute("BEGIN; UPDATE hot SET n = n + 1 WHERE id BETWEEN " + from + " AND " + (from + 99)
                        + "; INSERT INTO big SELECT g, 'new', 1.00, now(), md5(g::text) FROM generate_series(" + next
                        + ", " + (next + 19) + ") g; COMMIT");
                next += 20;
            }
        } catch (Exception e) {
            throw new IllegalStateException("verification cost: the writer failed", e);
        }
    }
}

package io.zeroetl.bench;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Source commit to visible in the target, at a steady rate: a writer commits 50 rows every 10 ms (5,000
 * changes/s) and notes each commit's time and last id; a reader polls the target every 10 ms for the
 * largest id visible. Latency of a commit = when its last id became visible - when it committed.
 */
final class Latency {
    record Result(int rate, Duration flushInterval, double p50, double p95, double p99, long commits) {}

    private Latency() {}

    static Result run(Env env, Duration flushInterval, int seconds) throws Exception {
        String db = env.newDatabase();
        env.sql(db, "CREATE TABLE probe (id BIGSERIAL PRIMARY KEY, pad TEXT)");
        PostgresSource source = env.source(db);
        String pipelineId = "lat" + flushInterval.toMillis();
        List<Double> latencies = new ArrayList<>();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(env.target())
                .tables("public.probe")
                .pipelineId(pipelineId)
                .flushInterval(flushInterval)
                .start()) {
            pipeline.awaitCaughtUp(Duration.ofSeconds(60));
            ConcurrentLinkedDeque<long[]> commits = new ConcurrentLinkedDeque<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> write(env, db, commits, writing, seconds));
            writer.start();
            try (Connection rs = env.redshift.connect();
                    Statement s = rs.createStatement()) {
                long seen = 0;
                while (writer.isAlive() || !commits.isEmpty()) {
                    try (ResultSet r = s.executeQuery("SELECT max(id) FROM public.probe")) {
                        r.next();
                        seen = r.getLong(1);
                    }
                    long now = System.nanoTime();
                    while (!commits.isEmpty() && commits.peekFirst()[0] <= seen) {
                        latencies.add((now - commits.pollFirst()[1]) / 1e6);
                    }
                    Thread.sleep(10);
                }
            }
            writer.join();
        } finally {
            source.retire(pipelineId);
            source.close();
            env.pg.dropDatabase(db);
        }
        Collections.sort(latencies);
        return new Result(
                5000, flushInterval, pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), latencies.size());
    }

    private static void write(
            Env env, String db, ConcurrentLinkedDeque<long[]> commits, AtomicBoolean writing, int seconds) {
        try (Connection c = env.connect(db)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO probe (pad) SELECT 'x' FROM generate_series(1, 50)" + " RETURNING id")) {
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                long next = System.nanoTime();
                while (System.nanoTime() < end && writing.get()) {
                    long last = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            last = Math.max(last, rs.getLong(1));
                        }
                    }
                    c.commit();
                    commits.addLast(new long[] {last, System.nanoTime()});
                    next += 10_000_000L;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return Math.round(sorted.get(Math.max(0, i)));
    }
}

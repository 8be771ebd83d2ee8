package io.zeroetl.bench;

import io.zeroetl.Pipeline;
import io.zeroetl.Verification;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pipelines sharing one target, one source database each (how zeroetl scales out): 1, 2 and 4 pipelines, each
 * started on a backlog of {@code changes} row updates (ten a transaction, over 100,000 rows) in its source, all at once,
 * into one emulated target under each isolation level: they apply at full speed, together. How long each pipeline's target session waited for a lock another
 * held is sampled from the emulator's backing database every 10 ms ({@code pg_stat_activity}, the session recorded
 * in {@code zeroetl_claims}), over the pipeline's own run (first write to caught up): the share of its wall clock
 * spent waiting on the others. Transactions the target rolled back (serialization conflicts retried) are counted too.
 */
final class Pipelines {
    record Result(
            RedshiftEmulator.Isolation isolation,
            int pipelines,
            int changesEach,
            double seconds,
            double changesPerSecond,
            double maxWaitShare,
            double meanWaitShare,
            long rolledBack) {}

    private static final int ROWS = 100_000;

    private Pipelines() {}

    static List<Result> run(Env env, int changes, int... counts) throws Exception {
        List<Result> results = new ArrayList<>();
        for (RedshiftEmulator.Isolation isolation : RedshiftEmulator.Isolation.values()) {
            try (RedshiftEmulator target =
                    RedshiftEmulator.builder().isolation(isolation).start()) {
                for (int n : counts) {
                    results.add(side(env, target, isolation, n, changes));
                }
            }
        }
        return results;
    }

    private static Result side(
            Env env, RedshiftEmulator redshift, RedshiftEmulator.Isolation isolation, int n, int changes)
            throws Exception {
        List<String> dbs = new ArrayList<>();
        List<PostgresSource> sources = new ArrayList<>();
        List<Pipeline> pipelines = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            List<RedshiftTarget> targets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String db = env.newDatabase();
                dbs.add(db);
                env.sql(
                        db,
                        "CREATE TABLE t (id INT PRIMARY KEY, n INT, note TEXT)",
                        "INSERT INTO t SELECT g, 0, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
                sources.add(env.source(db));
                ids.add("share_" + isolation.name().toLowerCase() + "_" + n + "_" + i);
                targets.add(RedshiftTarget.builder()
                        .jdbcUrl(redshift.jdbcUrl())
                        .user(redshift.user())
                        .password(redshift.password())
                        .ssl(false)
                        .schema(ids.get(i))
                        .build());
            }
            // the copies first, then a backlog in every source: the pipelines then apply at full speed, together
            for (int i = 0; i < n; i++) {
                try (Pipeline p = start(sources.get(i), targets.get(i), ids.get(i))) {
                    if (!p.awaitCaughtUp(Duration.ofMinutes(10))) {
                        throw new IllegalStateException("pipelines: a copy did not finish");
                    }
                }
            }
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String db = dbs.get(i);
                writes.add(pool.submit(() -> {
                    try (Connection c = env.connect(db);
                            Statement s = c.createStatement()) {
                        for (int j = 0; j < changes / 10; j++) {
                            int from = (j * 10) % ROWS;
                            s.execute("UPDATE t SET n = n + 1 WHERE id > " + from + " AND id <= " + (from + 10));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
            long rolledBackBefore = rolledBack(redshift);
            AtomicBoolean sampling = new AtomicBoolean(true);
            long[] waited = new long[n];
            long[] samples = new long[n];
            boolean[] done = new boolean[n];
            Future<?> sampler = pool.submit(() -> {
                sample(redshift, ids, sampling, waited, samples, done);
                return null;
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pipelines.add(start(sources.get(i), targets.get(i), ids.get(i)));
            }
            List<Future<Double>> runs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                runs.add(pool.submit(() -> {
                    if (!pipelines.get(k).awaitCaughtUp(Duration.ofMinutes(10))) {
                        throw new IllegalStateException("pipelines: did not catch up");
                    }
                    synchronized (done) {
                        done[k] = true;
                    }
                    return ReadDecode.seconds(t0);
                }));
            }
            for (Future<Double> f : runs) {
                f.get();
            }
            double seconds = ReadDecode.seconds(t0);
            sampling.set(false);
            sampler.get();
            double max = 0;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double share = samples[i] == 0 ? 0 : (double) waited[i] / samples[i];
                max = Math.max(max, share);
                sum += share;
            }
            Result result = new Result(
                    isolation,
                    n,
                    changes,
                    seconds,
                    (double) changes * n / seconds,
                    max,
                    sum / n,
                    rolledBack(redshift) - rolledBackBefore);
            Bench.log(String.format(
                    "%d pipeline(s) sharing a %s target: %.1f s, %.0f changes/s in all, waiting on the others %.1f %%"
                            + " of its time at most (%.1f %% on average), %d transactions rolled back",
                    n, isolation, seconds, result.changesPerSecond(), 100 * max, 100 * sum / n, result.rolledBack()));
            return result;
        } finally {
            pool.shutdownNow();
            for (Pipeline p : pipelines) {
                p.close();
            }
            for (int i = 0; i < sources.size(); i++) {
                sources.get(i).retire(ids.get(i));
                sources.get(i).close();
                env.pg.dropDatabase(dbs.get(i));
            }
        }
    }

    private static Pipeline start(PostgresSource source, RedshiftTarget target, String id) {
        return ZeroEtl.from(source)
                .to(target)
                .tables("public.t")
                .pipelineId(id)
                .verification(Verification.off())
                .start();
    }

    /** Every 10 ms: which pipeline's target session waits for a lock, counted for each one still running. */
    private static void sample(
            RedshiftEmulator redshift,
            List<String> ids,
            AtomicBoolean sampling,
            long[] waited,
            long[] samples,
            boolean[] done)
            throws Exception {
        try (Connection c = redshift.connectPostgres();
                Statement s = c.createStatement()) {
            Map<Integer, Integer> sessions = new HashMap<>();
            long lastRead = 0;
            while (sampling.get()) {
                if (System.nanoTime() - lastRead > 1_000_000_000L) {
                    sessions.clear();
                    try (ResultSet rs = s.executeQuery("SELECT pipeline_id, session_pid FROM zeroetl.zeroetl_claims")) {
                        while (rs.next()) {
                            int i = ids.indexOf(rs.getString(1));
                            if (i >= 0) {
                                sessions.put(rs.getInt(2), i);
                            }
                        }
                    }
                    lastRead = System.nanoTime();
                }
                boolean[] waiting = new boolean[ids.size()];
                try (ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
                    while (rs.next()) {
                        Integer i = sessions.get(rs.getInt(1));
                        if (i != null) {
                            waiting[i] = true;
                        }
                    }
                }
                synchronized (done) {
                    for (int i = 0; i < ids.size(); i++) {
                        if (!done[i]) {
                            samples[i]++;
                            if (waiting[i]) {
                                waited[i]++;
                            }
                        }
                    }
                }
                Thread.sleep(10);
            }
        }
    }

    private static long rolledBack(RedshiftEmulator redshift) throws Exception {
        try (Connection c = redshift.connectPostgres();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package io.zeroetl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * An initial copy through S3 in a pipeline JVM of its own ({@link CopyChild}), once uninterrupted and once killed
 * with SIGKILL three times at random moments (each JVM after a random share of the uninterrupted copy's time),
 * resumed by the next JVM each time: the ratio of the two wall clocks, the target's rows against the source's, and
 * the rows the target's table was ever given (its backing statistics count those of the transactions cut off).
 */
final class ResumedCopy {
    record Result(
            long rows,
            double wholeSeconds,
            double killedSeconds,
            List<Double> killedAfter,
            long targetRows,
            long inserted) {
        double ratio() {
            return killedSeconds / wholeSeconds;
        }
    }

    private ResumedCopy() {}

    static Result run(Env env, long rows, long chunkBlocks) throws Exception {
        String db = env.newDatabase();
        try {
            env.sql(
                    db,
                    "CREATE TABLE orders (order_id BIGSERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                            + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2))",
                    "INSERT INTO orders (customer_name, total_amount) SELECT 'customer-' || (g % 100000),"
                            + " round((random() * 1000)::numeric, 2) FROM generate_series(1, " + rows + ") g",
                    "VACUUM ANALYZE orders");
            Bench.log("resumed copy: " + rows + " rows in the source");
            long t0 = System.nanoTime();
            Process whole = child(env, db, "rc_whole", chunkBlocks);
            if (!whole.waitFor(2, TimeUnit.HOURS) || whole.exitValue() != 0) {
                throw new IllegalStateException("the uninterrupted copy failed");
            }
            double wholeSeconds = ReadDecode.seconds(t0);
            Bench.log(String.format("resumed copy: uninterrupted %.1f s", wholeSeconds));
            Random random = new Random(34);
            List<Double> killedAfter = new ArrayList<>();
            long t1 = System.nanoTime();
            for (int kill = 0; kill < 3; kill++) {
                double after = wholeSeconds * (0.2 + 0.25 * random.nextDouble());
                Process p = child(env, db, "rc_killed", chunkBlocks);
                if (p.waitFor((long) (after * 1000), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the copy ended before its kill, exit " + p.exitValue());
                }
                p.destroyForcibly().waitFor();
                killedAfter.add(Math.round(after * 10) / 10.0);
            }
            Process last = child(env, db, "rc_killed", chunkBlocks);
            if (!last.waitFor(2, TimeUnit.HOURS) || last.exitValue() != 0) {
                throw new IllegalStateException("the resumed copy failed");
            }
            double killedSeconds = ReadDecode.seconds(t1);
            long targetRows;
            long inserted;
            try (Connection c = env.redshift.connectPostgres();
                    Statement s = c.createStatement()) {
                targetRows = single(s, "SELECT count(*) FROM rc_killed.orders");
                inserted = single(
                        s,
                        "SELECT n_tup_ins FROM pg_stat_user_tables WHERE schemaname = 'rc_killed' AND relname = 'orders'");
                s.execute("DROP SCHEMA rc_whole CASCADE");
                s.execute("DROP SCHEMA rc_killed CASCADE");
            }
            Result result = new Result(rows, wholeSeconds, killedSeconds, killedAfter, targetRows, inserted);
            Bench.log(String.format(
                    "resumed copy: killed after %s s, %.1f s in all = %.2fx the uninterrupted copy; target rows %d"
                            + " of %d; rows inserted including attempts cut off %d",
                    killedAfter, killedSeconds, result.ratio(), targetRows, rows, inserted));
            return result;
        } finally {
            env.pg.dropDatabase(db);
        }
    }

    private static long single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private static Process child(Env env, String db, String id, long chunkBlocks) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("zeroetl-copy-child", ".log");
        List<String> command = List.of(
                java.toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                CopyChild.class.getName(),
                env.pg.jdbcUrl(db),
                env.pg.user(),
                env.pg.password(),
                env.redshift.jdbcUrl(),
                env.redshift.user(),
                env.redshift.password(),
                "http://" + env.toS3.host() + ":" + env.toS3.port(),
                env.s3.accessKeyId(),
                env.s3.secretAccessKey(),
                id,
                Long.toString(chunkBlocks));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}

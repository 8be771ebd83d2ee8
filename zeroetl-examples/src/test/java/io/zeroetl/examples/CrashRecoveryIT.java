package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across crashes: the pipeline's JVM is killed (SIGKILL) right after it loaded a batch into
 * the staging tables and before it committed — during the initial copy, then while streaming — and each
 * time a new JVM resumes. The target ends equal to the source: no partial batch, no duplicate.
 */
class CrashRecoveryIT {
    private final AtomicReference<Process> child = new AtomicReference<>();
    private final AtomicInteger positionWrites = new AtomicInteger();
    private volatile int killAtWrite = -1;

    @Test
    void killedBetweenStagingAndCommitResumesWithoutLossOrDuplicates(@TempDir Path dir) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (RedshiftEmulator redshift =
                RedshiftEmulator.builder().beforeStatement(this::maybeKill).start()) {
            sql(pg, db, "CREATE TABLE orders (id INT PRIMARY KEY, qty INT)");
            for (int t = 0; t < 20; t++) {
                sql(
                        pg,
                        db,
                        "INSERT INTO orders SELECT g, g % 5 FROM generate_series(" + (t * 100 + 1) + ", "
                                + (t * 100 + 100) + ") g");
            }
            Path stop = dir.resolve("stop");

            killAtWrite = 1;
            assertKilled(start(pg, db, redshift, stop), "during the initial copy's commit");
            assertThat(count(redshift, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders'"))
                    .as("nothing of the killed copy is visible")
                    .isZero();

            killAtWrite = positionWrites.get() + 3;
            Process second = start(pg, db, redshift, stop);
            awaitRows(redshift, 2000);
            for (int t = 0; t < 20; t++) {
                sql(
                        pg,
                        db,
                        "UPDATE orders SET qty = qty + 10 WHERE id % 20 = " + t,
                        "INSERT INTO orders VALUES (" + (5000 + t) + ", 1)",
                        "DELETE FROM orders WHERE id = " + (t * 50 + 7));
            }
            assertKilled(second, "while streaming");

            killAtWrite = -1;
            Process third = start(pg, db, redshift, stop);
            awaitEqual(pg, db, redshift);
            Files.createFile(stop);
            assertThat(third.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(third.exitValue()).isZero();

            assertThat(target(redshift)).isEqualTo(source(pg, db));
            assertThat(count(redshift, "SELECT count(*) - count(DISTINCT id) FROM public.orders"))
                    .isZero();
            assertThat(redshift.rejectedStatements()).isEmpty();
        } finally {
            Process p = child.get();
            if (p != null) {
                p.destroyForcibly();
            }
            pg.dropDatabase(db);
        }
    }

    /** Kills the pipeline JVM when it writes its position for the chosen time: after staging, before commit. */
    private void maybeKill(String sql) {
        if (sql.contains("DELETE FROM")
                && sql.contains("zeroetl_state")
                && positionWrites.incrementAndGet() == killAtWrite) {
            Process p = child.get();
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Process start(EmbeddedPostgres pg, String db, RedshiftEmulator redshift, Path stop) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-Xmx256m",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashChild.class.getName(),
                        pg.jdbcUrl(db),
                        pg.user(),
                        pg.password(),
                        redshift.jdbcUrl(),
                        redshift.user(),
                        redshift.password(),
                        stop.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        child.set(p);
        return p;
    }

    private static void assertKilled(Process p, String when) throws InterruptedException {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("killed " + when).isTrue();
        assertThat(p.exitValue()).as("killed " + when).isNotZero();
    }

    private static void awaitRows(RedshiftEmulator redshift, long rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (tableExists(redshift) && count(redshift, "SELECT count(*) FROM public.orders") >= rows) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("the target never reached " + rows + " rows");
    }

    private static void awaitEqual(EmbeddedPostgres pg, String db, RedshiftEmulator redshift) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (tableExists(redshift) && target(redshift).equals(source(pg, db))) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(target(redshift)).isEqualTo(source(pg, db));
    }

    private static boolean tableExists(RedshiftEmulator redshift) throws SQLException {
        return count(redshift, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders'") > 0;
    }

    private static List<String> source(EmbeddedPostgres pg, String db) throws SQLException {
        try (Connection c = pg.connect(db)) {
            return rows(c);
        }
    }

    private static List<String> target(RedshiftEmulator redshift) throws SQLException {
        try (Connection c = redshift.connect()) {
            return rows(c);
        }
    }

    private static List<String> rows(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, qty FROM public.orders ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + ":" + rs.getInt(2));
            }
        }
        return rows;
    }

    private static long count(RedshiftEmulator redshift, String sql) throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(EmbeddedPostgres pg, String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}

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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History mode keeps exactly one version per source change, also when the pipeline's JVM is killed
 * between loading a batch and committing it and a new JVM resumes.
 */
class HistoryCrashIT {
    private final AtomicReference<Process> child = new AtomicReference<>();
    private final AtomicInteger positionWrites = new AtomicInteger();
    private volatile int killAtWrite = -1;

    @Test
    void exactlyOneVersionPerSourceChangeAcrossAKill(@TempDir Path dir) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        Map<Integer, List<String>> expected = new TreeMap<>();
        try (RedshiftEmulator redshift =
                RedshiftEmulator.builder().beforeStatement(this::maybeKill).start()) {
            sql(
                    pg,
                    db,
                    "CREATE TABLE orders (id INT PRIMARY KEY, qty INT)",
                    "INSERT INTO orders SELECT g, 0 FROM generate_series(1, 100) g");
            for (int id = 1; id <= 100; id++) {
                expected.computeIfAbsent(id, k -> new ArrayList<>()).add("0 open");
            }
            Path stop = dir.resolve("stop");
            Process first = start(pg, db, redshift, stop);
            awaitCount(redshift, "SELECT count(*) FROM public.orders", 100);
            killAtWrite = positionWrites.get() + 3;
            for (int round = 1; round <= 10; round++) {
                sql(
                        pg,
                        db,
                        "UPDATE orders SET qty = " + round + " WHERE id % 10 = " + (round % 10),
                        "UPDATE orders SET qty = qty + 100 WHERE id = 1",
                        "DELETE FROM orders WHERE id = " + (50 + round),
                        "INSERT INTO orders VALUES (" + (1000 + round) + ", " + round + ")");
                for (int id = 1; id <= 100; id++) {
                    if (id % 10 == round % 10 && !(id > 50 && id < 50 + round)) {
                        close(expected, id);
                        expected.get(id).add(round + " open");
                    }
                }
                int one = Integer.parseInt(last(expected, 1).split(" ")[0]);
                close(expected, 1);
                expected.get(1).add((one + 100) + " open");
                close(expected, 50 + round);
                expected.computeIfAbsent(1000 + round, k -> new ArrayList<>()).add(round + " open");
                Thread.sleep(150); // about a batch per round, so the kill lands mid-stream
            }
            assertThat(first.waitFor(120, TimeUnit.SECONDS))
                    .as("killed between staging and commit")
                    .isTrue();
            assertThat(first.exitValue()).as("killed, not ended").isNotZero();
            killAtWrite = -1;
            Process second = start(pg, db, redshift, stop);
            awaitCount(redshift, "SELECT count(*) FROM public.orders WHERE id = 1010", 1);
            Files.createFile(stop);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(versions(redshift))
                    .as("one version per source change, closed by the next")
                    .isEqualTo(expected);
            assertThat(count(
                            redshift,
                            "SELECT count(*) FROM public.orders WHERE _record_is_active AND"
                                    + " _record_delete_time IS NOT NULL"))
                    .isZero();
            assertThat(count(
                            redshift,
                            "SELECT count(*) FROM public.orders WHERE NOT _record_is_active AND"
                                    + " _record_delete_time < _record_create_time"))
                    .as("closed after opened")
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

    private static void close(Map<Integer, List<String>> expected, int id) {
        List<String> versions = expected.get(id);
        String lastVersion = versions.get(versions.size() - 1);
        versions.set(versions.size() - 1, lastVersion.replace(" open", " closed"));
    }

    private static String last(Map<Integer, List<String>> expected, int id) {
        List<String> versions = expected.get(id);
        return versions.get(versions.size() - 1);
    }

    /** Per id, its versions in creation order: qty and whether the version is still active. */
    private static Map<Integer, List<String>> versions(RedshiftEmulator redshift) throws SQLException {
        Map<Integer, List<String>> out = new TreeMap<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, qty, _record_is_active FROM public.orders"
                        + " ORDER BY id, _record_create_time, _record_is_active")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>())
                        .add(rs.getInt(2) + (rs.getBoolean(3) ? " open" : " closed"));
            }
        }
        return out;
    }

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
                        stop.toString(),
                        "history")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        child.set(p);
        return p;
    }

    private static void awaitCount(RedshiftEmulator redshift, String sql, long atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (count(redshift, sql) >= atLeast) {
                    return;
                }
            } catch (SQLException notYet) {
                // the table may not exist yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + sql + " >= " + atLeast);
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

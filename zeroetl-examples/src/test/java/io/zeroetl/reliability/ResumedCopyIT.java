package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the pipeline JVM three times during one initial copy, at random moments: while a part's rows
 * are loaded, and as a part commits. Each new JVM resumes the copy after the last part the target committed (the
 * progress the target records only grows), and at the end the target equals the source row by row, with each row
 * loaded once: the target's own count of committed rows is the source's.
 */
class ResumedCopyIT {
    private static final Pattern ROWS = Pattern.compile(" rows=(\\d+) ");

    @Test
    void killedThreeTimesTheCopyResumesAfterItsLastCommittedPartAndLoadsNoRowTwice(@TempDir Path dir) throws Exception {
        int rows = Scale.of(150_000, 1_000_000);
        Random random = new Random(7);
        Map<String, Integer> landed = new TreeMap<>();
        List<Long> recorded = new ArrayList<>();
        try (Rig rig = new Rig(dir)) {
            rig.set("chunkBlocks", "32").set("batchSize", "50000");
            rig.sql(
                    "CREATE TABLE big (id BIGINT PRIMARY KEY, qty INT, note TEXT)",
                    "INSERT INTO big SELECT g, g % 97, repeat(md5(g::text), 2) FROM generate_series(1, " + rows + ") g",
                    "ANALYZE big");
            for (int i = 0; i < 3; i++) {
                AtomicInteger seen = new AtomicInteger();
                int k = 2 + random.nextInt(5);
                if (i % 2 == 0) {
                    rig.killAt("while a part loads", sql -> isLoadOfBig(sql) && seen.incrementAndGet() == k);
                } else {
                    rig.killAt(
                            "as a part commits",
                            sql -> sql.startsWith("DELETE FROM")
                                    && sql.contains("zeroetl_state")
                                    && seen.incrementAndGet() == k);
                }
                rig.startChild();
                landed.merge(String.valueOf(rig.awaitKill(Duration.ofSeconds(120))), 1, Integer::sum);
                recorded.add(recordedRows(rig));
            }
            ValidationReport report = rig.converge(List.of("public.big"));

            assertThat(landed).as("each kill hit the copy").doesNotContainKey("null");
            assertThat(recorded)
                    .as("the copy's recorded progress after each kill only grows, and some parts committed")
                    .isSorted()
                    .last()
                    .isNotNull();
            assertThat(recorded.get(recorded.size() - 1)).isPositive();
            assertThat(report.clean())
                    .as("the target equals the source: " + report)
                    .isTrue();
            assertThat(Files.readString(rig.log))
                    .as("a new JVM resumed the copy")
                    .contains("resumes after");
            long inserted = insertedIntoBig(rig);
            assertThat(rig.count("SELECT count(*) FROM public.big")).isEqualTo(rows);
            Results.record(
                    "resumed copy",
                    rows + " rows, 3 kill -9 (" + landed + "), progress recorded after each: " + recorded
                            + "; clean; rows inserted into the target including the attempts cut off: " + inserted
                            + " (" + String.format("%.2f", inserted / (double) rows) + "x)");
        }
    }

    /** A load of copied rows straight into the target table. */
    private static boolean isLoadOfBig(String sql) {
        return sql.startsWith("INSERT INTO") && sql.contains("\"big\"") && sql.contains(" VALUES ");
    }

    /** The rows the target records the copy of big as holding (0 when it records none). */
    private static long recordedRows(Rig rig) throws SQLException {
        try (Connection c = rig.redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT reason FROM zeroetl.zeroetl_table_state"
                        + " WHERE table_name LIKE '%big%' AND state = 'COPYING'")) {
            if (!rs.next()) {
                return 0;
            }
            Matcher m = ROWS.matcher(rs.getString(1));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    /** Rows ever inserted into the target's big, including those of transactions cut off (the backing statistics). */
    private static long insertedIntoBig(Rig rig) throws Exception {
        long inserted = 0;
        for (int i = 0; i < 50; i++) {
            try (Connection c = rig.redshift.connectPostgres();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables WHERE relname = 'big'")) {
                rs.next();
                inserted = rs.getLong(1);
            }
            if (inserted > 0) {
                break;
            }
            Thread.sleep(100);
        }
        return inserted;
    }
}

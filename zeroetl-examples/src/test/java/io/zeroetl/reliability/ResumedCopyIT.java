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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kill -9} of the pipeline JVM three times during one initial copy, at random moments: while a part's rows
 * are loaded, and as a part commits, while writes go on all the way through (updates of small and TOASTed values
 * and of other columns beside an unchanged TOASTed one, deletes, new rows, rows moved to new keys, in copied and
 * not yet copied ranges). Each new JVM resumes the copy after the last part the target committed (the progress
 * the target records only grows), mending the rows changed since, and at the end the target equals the source
 * row by row.
 */
class ResumedCopyIT {
    private static final Pattern ROWS = Pattern.compile(" rows=(\\d+) ");

    /**
     * Through INSERTs, and through S3: there a part's files are loaded by a COPY per 1 MB group on a thread of its
     * own while the next group is written (ranges of 128 blocks make parts of two groups), so a kill also lands
     * while such a COPY runs.
     */
    @ParameterizedTest(name = "S3 staging: {0}")
    @ValueSource(booleans = {false, true})
    void killedThreeTimesTheCopyResumesAfterItsLastCommittedPartAndLoadsNoRowTwice(boolean s3, @TempDir Path dir)
            throws Exception {
        int rows = Scale.of(150_000, 1_000_000);
        Random random = new Random(7);
        Map<String, Integer> landed = new TreeMap<>();
        List<Long> recorded = new ArrayList<>();
        try (Rig rig = new Rig(dir)) {
            rig.set("chunkBlocks", s3 ? "128" : "32").set("batchSize", "50000");
            if (s3) {
                rig.set("s3", "true");
            }
            rig.sql(
                    "CREATE TABLE big (id BIGINT PRIMARY KEY, qty INT, note TEXT)",
                    "INSERT INTO big SELECT g, g % 97, repeat(md5(g::text), 2) FROM generate_series(1, " + rows + ") g",
                    "ANALYZE big");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger writes = new AtomicInteger();
            Thread writer = new Thread(() -> write(rig, rows, writing, writes), "writer");
            writer.start();
            for (int i = 0; i < 3; i++) {
                AtomicInteger seen = new AtomicInteger();
                AtomicInteger commits = new AtomicInteger();
                int k = 2 + random.nextInt(5);
                if (i == 0) {
                    // the first JVM: before or after its first parts commit
                    rig.killAt("while a part loads", sql -> isLoadOfBig(sql) && seen.incrementAndGet() == k);
                } else if (i == 1) {
                    rig.killAt("as a part commits", sql -> isStateWrite(sql) && seen.incrementAndGet() == k);
                } else {
                    // the resumed copy commits parts (its first one mends the changed rows) before this kill: counted
                    // by the copy's own progress writes, as a batch of nothing but a position also writes one
                    rig.killAt(
                            "while a part loads, after the resumed copy committed parts",
                            sql -> (isProgressWrite(sql) ? commits.incrementAndGet() : commits.get()) >= 2
                                    && isLoadOfBig(sql)
                                    && seen.incrementAndGet() == k);
                }
                rig.startChild();
                landed.merge(String.valueOf(rig.awaitKill(Duration.ofSeconds(120))), 1, Integer::sum);
                recorded.add(recordedRows(rig));
            }
            writing.set(false);
            writer.join();
            ValidationReport report = rig.converge(List.of("public.big"));
            if (s3) {
                assertThat(rig.s3.keys(Rig.BUCKET, ""))
                        .as("staged objects left behind")
                        .isEmpty();
                assertThat(rig.redshift.statements())
                        .as("the copy loaded through S3, a COPY per group of files")
                        .filteredOn(
                                st -> st.sql().startsWith("COPY") && st.sql().contains("\"big\""))
                        .hasSizeGreaterThan(3);
            }

            assertThat(landed).as("each kill hit the copy").doesNotContainKey("null");
            assertThat(recorded)
                    .as("the copy's recorded progress after each kill only grows, and some parts committed")
                    .isSorted()
                    .last()
                    .isNotNull();
            assertThat(recorded.get(2))
                    .as("the resumed copy committed parts of its own")
                    .isGreaterThan(recorded.get(1));
            if (!report.clean()) {
                System.out.println("What the copies did:\n" + copyLines(rig));
                try (Connection c = rig.redshift.connect();
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT id), min(id), max(id),"
                                + " sum(CASE WHEN id < 10000000 THEN 1 ELSE 0 END) FROM public.big")) {
                    rs.next();
                    System.out.println("target: rows " + rs.getLong(1) + " distinct " + rs.getLong(2) + " min "
                            + rs.getLong(3) + " max " + rs.getLong(4) + " original ids " + rs.getLong(5));
                }
            }
            assertThat(report.clean())
                    .as("the target equals the source: " + report)
                    .isTrue();
            assertThat(Files.readString(rig.log))
                    .as("a new JVM resumed the copy")
                    .contains("resumes after");
            long inserted = insertedIntoBig(rig);
            Results.record(
                    "resumed copy",
                    rows + " rows, 3 kill -9 (" + landed + ") under " + writes + " writes, progress recorded after"
                            + " each: " + recorded + "; clean; rows inserted into the target including the attempts"
                            + " cut off and the rows mended: " + inserted + " ("
                            + String.format("%.2f", inserted / (double) rows) + "x)");
        }
    }

    /** Single-statement writes to big, seeded, until told to stop. */
    private static void write(Rig rig, int rows, AtomicBoolean writing, AtomicInteger writes) {
        Random random = new Random(11);
        try (Connection c = rig.connect();
                Statement s = c.createStatement()) {
            long next = 10_000_000L;
            while (writing.get()) {
                long id = 1 + random.nextInt(rows);
                switch (random.nextInt(6)) {
                    case 0 -> s.execute("INSERT INTO big VALUES (" + next++ + ", 1, 'new')");
                    case 1 -> s.execute("UPDATE big SET qty = qty + 1 WHERE id = " + id);
                    case 2 ->
                        s.execute("UPDATE big SET note = (SELECT string_agg(md5(random()::text), '')"
                                + " FROM generate_series(1, 200)) WHERE id = " + id);
                    case 3 -> s.execute("UPDATE big SET id = " + next++ + " WHERE id = " + id);
                    case 4 -> s.execute("DELETE FROM big WHERE id = " + id);
                    default -> s.execute("UPDATE big SET note = 'upd' WHERE id = " + id);
                }
                writes.incrementAndGet();
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the pipeline JVMs logged about the copy: its starts, resumes and what they mended. */
    private static String copyLines(Rig rig) throws java.io.IOException {
        return String.join(
                "\n",
                Files.readAllLines(rig.log).stream()
                        .filter(l -> l.contains("resume")
                                || l.contains("starts over")
                                || l.contains("changed after")
                                || l.contains("read again")
                                || l.contains("Created slot")
                                || l.contains("Exception"))
                        .toList());
    }

    /** The write of the pipeline's position, in every batch's transaction just before it commits. */
    private static boolean isStateWrite(String sql) {
        return sql.startsWith("DELETE FROM") && sql.contains("zeroetl_state");
    }

    /** The write of a table's state, as every committed part of a copy in parts does with its progress. */
    private static boolean isProgressWrite(String sql) {
        return sql.startsWith("DELETE FROM") && sql.contains("zeroetl_table_state");
    }

    /** A load of copied rows straight into the target table. */
    private static boolean isLoadOfBig(String sql) {
        return (sql.startsWith("INSERT INTO") && sql.contains(" VALUES ") || sql.startsWith("COPY "))
                && sql.contains("\"big\"");
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
        // read once the last pipeline JVM has ended (converge waits for it): its sessions' statistics are in
        try (Connection c = rig.redshift.connectPostgres();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables WHERE relname = 'big'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ValidationReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the pipeline JVM at chosen moments — during an initial copy, mid-batch while loading
 * staging tables, between the staging load and the commit, while a schema change is applied, and at random
 * times — N times (quick 5, long 100) under a concurrent mixed workload, a new JVM each time. At the end
 * the target equals the source row by row, and history mode holds exactly one version per source change.
 */
class CrashRestartIT {
    private static final List<String> MOMENTS = List.of(
            "mid-batch",
            "between staging and commit",
            "schema change",
            "random time",
            "copy of a table created while running");

    @Test
    void killedAtAnyMomentTheTargetConvergesWithNothingLostOrDoubled(@TempDir Path dir) throws Exception {
        int kills = Scale.of(5, 100);
        Random random = new Random(42);
        Map<String, Integer> landed = new TreeMap<>();
        try (Rig rig = new Rig(dir)) {
            rig.set("history", "public.accounts").set("exclude", "public.accounts_audit");
            MixedWorkload.createTables(rig, Scale.of(20_000, 100_000), 2_000);
            MixedWorkload workload = MixedWorkload.start(rig, Scale.of(20_000, 100_000), 2_000, 2, true, false);
            try {
                AtomicInteger stagingLoads = new AtomicInteger();
                int k = 1 + random.nextInt(3);
                rig.killAt("initial copy", sql -> isStagingLoad(sql) && stagingLoads.incrementAndGet() == k);
                rig.startChild();
                count(landed, rig.awaitKill(Duration.ofSeconds(120)));
                for (int i = 1; i < kills; i++) {
                    String moment = Scale.LONG
                            ? MOMENTS.get(random.nextInt(MOMENTS.size()))
                            : MOMENTS.get((i - 1) % MOMENTS.size());
                    rig.startChild();
                    if (i == 1) {
                        // the initial copy is done: from here on every change to accounts must become a version
                        rig.awaitChildPrinted("STATE SNAPSHOTTING -> STREAMING", Duration.ofMinutes(3));
                        workload.startAccountChanges();
                    }
                    arm(rig, moment, i, random);
                    count(landed, rig.awaitKill(Duration.ofSeconds(90)));
                }
            } finally {
                workload.close();
            }
            // accounts keeps every version (history mode): checked against the source's audit instead
            List<String> tables = SourceTables.replicated(rig, "accounts_audit", "accounts");
            ValidationReport report = rig.converge(tables);

            assertThat(report.clean())
                    .as("the target equals the source: " + report)
                    .isTrue();
            assertThat(HistoryCheck.differences(rig))
                    .as("one version per source change")
                    .isEmpty();
            assertThat(rig.failedTables()).isEmpty();
            assertThat(landed.values().stream().mapToInt(Integer::intValue).sum())
                    .isEqualTo(kills);
            if (!Scale.LONG) {
                assertThat(landed)
                        .as("every moment was hit")
                        .containsKeys(
                                "initial copy",
                                "mid-batch",
                                "between staging and commit",
                                "schema change",
                                "random time");
            }
            Results.record(
                    "crash-restart",
                    kills + " kill -9 (" + landed + ") under " + workload + "; " + tables.size()
                            + " tables validated row by row: clean; history: one version per change");
        }
    }

    /**
     * The same through S3 staging: killed after the files are uploaded and before their COPY, after the COPY
     * and before the commit, and during the initial copy, the target converges with nothing lost or doubled,
     * and after the next start no staged object is left in the bucket.
     */
    @Test
    void killedAroundAnS3LoadNothingIsLostOrDoubledAndNoObjectIsLeft(@TempDir Path dir) throws Exception {
        Map<String, Integer> landed = new TreeMap<>();
        try (Rig rig = new Rig(dir)) {
            rig.set("s3", "true").set("exclude", "public.accounts_audit");
            MixedWorkload.createTables(rig, Scale.of(20_000, 100_000), 2_000);
            MixedWorkload workload = MixedWorkload.start(rig, Scale.of(20_000, 100_000), 2_000, 2, true, false);
            try {
                AtomicInteger copies = new AtomicInteger();
                rig.killAt("initial copy", sql -> sql.startsWith("COPY") && copies.incrementAndGet() == 2);
                rig.startChild();
                count(landed, rig.awaitKill(Duration.ofSeconds(120)));
                for (String moment : List.of(
                        "between upload and COPY",
                        "between COPY and commit",
                        "between upload and COPY",
                        "between COPY and commit")) {
                    rig.startChild();
                    rig.awaitChildPrinted("STARTED", Duration.ofSeconds(120));
                    AtomicInteger seen = new AtomicInteger();
                    boolean[] copied = {false};
                    rig.killAt(
                            moment,
                            moment.equals("between upload and COPY")
                                    ? sql -> sql.startsWith("COPY") && seen.incrementAndGet() == 2
                                    : sql -> {
                                        copied[0] |= sql.startsWith("COPY");
                                        return copied[0]
                                                && sql.startsWith("DELETE FROM")
                                                && sql.contains("zeroetl_state");
                                    });
                    count(landed, rig.awaitKill(Duration.ofSeconds(90)));
                }
            } finally {
                workload.close();
            }
            ValidationReport report = rig.converge(SourceTables.replicated(rig, "accounts_audit"));

            assertThat(report.clean())
                    .as("the target equals the source: " + report)
                    .isTrue();
            assertThat(rig.failedTables()).isEmpty();
            assertThat(landed)
                    .as("every moment was hit")
                    .containsKeys("initial copy", "between upload and COPY", "between COPY and commit");
            assertThat(rig.s3.keys(Rig.BUCKET, ""))
                    .as("staged objects left behind")
                    .isEmpty();
            assertThat(rig.redshift.statements())
                    .as("the loads went through S3")
                    .anySatisfy(s -> assertThat(s.sql()).startsWith("COPY"));
            Results.record(
                    "crash-restart (S3 staging)",
                    "5 kill -9 (" + landed + ") under " + workload + ": clean," + " no staged object left");
        }
    }

    private static void arm(Rig rig, String moment, int i, Random random) throws Exception {
        rig.awaitChildPrinted("STARTED", Duration.ofSeconds(120));
        AtomicInteger seen = new AtomicInteger();
        int k = 1 + random.nextInt(moment.equals("mid-batch") ? 20 : 3);
        switch (moment) {
            case "mid-batch" -> rig.killAt(moment, sql -> isStagingLoad(sql) && seen.incrementAndGet() == k);
            case "between staging and commit" ->
                rig.killAt(
                        moment,
                        sql -> sql.startsWith("DELETE FROM")
                                && sql.contains("zeroetl_state")
                                && seen.incrementAndGet() == k);
            case "schema change" -> {
                rig.killAt(moment, sql -> sql.startsWith("ALTER TABLE") && sql.contains("k" + i));
                rig.sql("ALTER TABLE orders ADD COLUMN k" + i + " INT DEFAULT NULL");
            }
            case "copy of a table created while running" -> {
                rig.killAt(moment, sql -> sql.contains("snap_" + i) && seen.incrementAndGet() == k + 1);
                rig.sql(
                        "CREATE TABLE snap_" + i + " (id INT PRIMARY KEY, v TEXT)",
                        "INSERT INTO snap_" + i + " SELECT g, md5(g::text) FROM generate_series(1, 5000) g");
            }
            default -> {
                TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(4000));
                rig.killNow("random time");
            }
        }
    }

    /** A load of staged rows, or of a copy's rows straight into its new table. */
    private static boolean isStagingLoad(String sql) {
        return sql.startsWith("INSERT INTO")
                && sql.contains(" VALUES ")
                && (sql.contains("zeroetl_stage_") || !sql.contains("\"zeroetl\"."));
    }

    private static void count(Map<String, Integer> landed, String moment) {
        landed.merge(moment == null ? "timer (trigger did not fire)" : moment, 1, Integer::sum);
    }
}

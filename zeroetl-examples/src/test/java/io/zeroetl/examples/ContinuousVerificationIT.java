package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zeroetl.Drift;
import io.zeroetl.DriftAction;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import io.zeroetl.RowDifference;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.Verification;
import io.zeroetl.VerificationStatus;
import io.zeroetl.micrometer.ZeroEtlMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The pipeline checks its own output while it runs: what an analyst or a bug does to the target behind its back
 * (a value changed, a row deleted, a row added, a TOASTed value nulled) is found table by table within the
 * configured interval and healed, visible in the status, the listener and the meters; and a long run under a
 * heavy mixed workload with DDL and key moves reports no drift at all.
 */
class ContinuousVerificationIT {
    private static final List<String> TABLES = List.of("public.a", "public.b", "public.c", "public.d");

    @Test
    void driftOfEveryKindIsFoundWithinTheIntervalAndHealedWhileAWorkloadRuns() throws Exception {
        Duration interval = Duration.ofSeconds(8);
        try (LiveRig rig = new LiveRig()) {
            rig.onSource(c -> {
                for (String t : TABLES) {
                    MixedWorkload.create(c, t, 300);
                }
            });
            Map<TableId, Drift> drifts = new ConcurrentHashMap<>();
            MeterRegistry registry = new SimpleMeterRegistry();
            ZeroEtlMetrics metrics = new ZeroEtlMetrics();
            metrics.bindTo(registry);
            Pipeline pipeline = rig.start(b -> b.tables(TABLES.toArray(String[]::new))
                    .listener(metrics)
                    .listener(new PipelineListener() {
                        @Override
                        public void stateChanged(PipelineState from, PipelineState to) {}

                        @Override
                        public void driftFound(Drift drift) {
                            drifts.put(drift.table(), drift);
                        }
                    })
                    .verification(Verification.every(interval)));
            metrics.watch(pipeline);
            try (MixedWorkload workload = new MixedWorkload(rig, TABLES, false, 42)) {
                await("the workload under way", Duration.ofSeconds(30), () -> workload.transactions() > 50);
                Instant tampered = Instant.now();
                rig.onTarget(
                        "UPDATE public.a SET n = n + 1000 WHERE id = 5",
                        "DELETE FROM public.b WHERE id = 7",
                        "INSERT INTO public.c (id, n, note) VALUES (77, 1, 'not at the source')",
                        "UPDATE public.d SET note = NULL WHERE id = 9");

                await("a drift of each table", interval.multipliedBy(3).plusSeconds(60), () -> drifts.size() == 4);

                for (Drift drift : drifts.values()) {
                    Duration found = Duration.between(tampered, drift.foundAt());
                    System.out.printf(
                            "[verification] %s drift found %d ms after the tampering (interval %d s)%n",
                            drift.table(), found.toMillis(), interval.toSeconds());
                    assertThat(drift.action()).isEqualTo(DriftAction.HEAL);
                    assertThat(drift.rows()).as(drift.toString()).isEqualTo(1);
                }
                assertThat(drifts.get(TableId.parse("public.a")).sample())
                        .singleElement()
                        .satisfies(d -> {
                            assertThat(d.kind()).isEqualTo(RowDifference.Kind.DIFFERENT);
                            assertThat(d.key()).containsEntry("id", "5");
                            assertThat(d.columns()).containsExactly("n");
                        });
                assertThat(drifts.get(TableId.parse("public.b")).sample().get(0).kind())
                        .isEqualTo(RowDifference.Kind.MISSING_IN_TARGET);
                assertThat(drifts.get(TableId.parse("public.c")).sample().get(0).kind())
                        .isEqualTo(RowDifference.Kind.EXTRA_IN_TARGET);
                assertThat(drifts.get(TableId.parse("public.d")).sample().get(0).columns())
                        .containsExactly("note");

                for (String table : TABLES) {
                    LiveRig.awaitState(pipeline, table, TableState.SYNCED);
                }
            }
            LiveRig.assertSame(pipeline);
            VerificationStatus status = pipeline.status().verification();
            assertThat(status.drifts())
                    .extracting(Drift::table)
                    .map(TableId::toString)
                    .containsExactlyInAnyOrderElementsOf(TABLES);
            assertThat(status.driftRows()).isEqualTo(4);
            assertThat(pipeline.status().toString()).contains("4 drifting row(s)");
            for (String table : TABLES) {
                assertThat(registry.get("zeroetl.drift.rows")
                                .tag("table", table)
                                .counter()
                                .count())
                        .as("drift counter of %s", table)
                        .isEqualTo(1);
            }
            await(
                    "a table verified after its heal",
                    interval.multipliedBy(3).plusSeconds(60),
                    () -> pipeline.status().verification().rowsVerified() > 0);
            assertThat(registry.get("zeroetl.verify.rows").functionCounter().count())
                    .isPositive();
            assertThat(registry.get("zeroetl.verify.lag").timeGauge().value()).isNotNaN();
        }
    }

    @Test
    void reportOnlyLeavesTheTargetAndFailTableFailsTheTableWithItsReason() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.onSource(c -> {
                MixedWorkload.create(c, "public.reported", 20);
                MixedWorkload.create(c, "public.failing", 20);
            });
            Pipeline reporting = rig.start(b -> b.tables("public.reported")
                    .pipelineId("reporting")
                    .verification(Verification.every(Duration.ofSeconds(1)).onDrift(DriftAction.REPORT)));
            Pipeline failing = rig.start(b -> b.tables("public.failing")
                    .pipelineId("failing")
                    .verification(Verification.every(Duration.ofSeconds(1)).onDrift(DriftAction.FAIL_TABLE)));
            try {
                rig.onTarget(
                        "DELETE FROM public.reported WHERE id = 3", "UPDATE public.failing SET n = -1 WHERE id = 4");

                await(
                        "the drift reported",
                        Duration.ofSeconds(60),
                        () -> !reporting.status().verification().drifts().isEmpty());
                LiveRig.awaitState(failing, "public.failing", TableState.FAILED);

                assertThat(rig.target("SELECT count(*) FROM public.reported")).containsExactly("19");
                assertThat(LiveRig.status(reporting, "public.reported").state()).isEqualTo(TableState.SYNCED);
                assertThat(LiveRig.status(failing, "public.failing").reason())
                        .contains("continuous verification", "1 row(s) of public.failing differ", "resync");
                failing.resync("public.failing");
                LiveRig.awaitState(failing, "public.failing", TableState.SYNCED);
                LiveRig.assertSame(failing);
            } finally {
                reporting.close();
                failing.close();
                rig.source.retire("reporting");
                rig.source.retire("failing");
            }
        }
    }

    @Test
    void aHeavyMixedWorkloadWithDdlAndKeyMovesRaisesNoFalseAlarmOverFiftyPasses() throws Exception {
        List<String> tables = List.of("public.x", "public.y");
        try (LiveRig rig = new LiveRig()) {
            rig.onSource(c -> {
                for (String t : tables) {
                    MixedWorkload.create(c, t, 500);
                }
            });
            Pipeline pipeline = rig.start(b -> b.tables(tables.toArray(String[]::new))
                    .verification(Verification.every(Duration.ofMillis(300)).onDrift(DriftAction.REPORT)));
            // this seed's DDL copies a table again within the first passes: a drift seen across such a copy was
            // once reported here
            long seed = Long.getLong("zeroetl.seed", 32137888277304L);
            System.out.println("[verification] no-false-alarm workload seed " + seed);
            try (MixedWorkload workload = new MixedWorkload(rig, tables, true, seed)) {
                await(
                        "50 passes over every table",
                        Duration.ofMinutes(8),
                        () -> pipeline.status().verification().passes() >= 50
                                || !pipeline.status().verification().drifts().isEmpty());
                VerificationStatus status = pipeline.status().verification();
                System.out.printf(
                        "[verification] %d passes, %d tables verified, %d rows, %d transactions written, %d drifts%n",
                        status.passes(),
                        status.tablesVerified(),
                        status.rowsVerified(),
                        workload.transactions(),
                        status.drifts().size());
                if (status.drifts().isEmpty()) {
                    assertThat(status.tablesVerified())
                            .as("most verifications conclusive under writes: %s", status)
                            .isGreaterThanOrEqualTo(50);
                }
            }
            // a drift the final validation confirms is a divergence of the pipeline; one it does not, a false alarm
            LiveRig.assertSame(pipeline);
            assertThat(pipeline.status().verification().drifts())
                    .as("seed %d: a drift the final validation does not confirm (a false alarm)", seed)
                    .isEmpty();
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}

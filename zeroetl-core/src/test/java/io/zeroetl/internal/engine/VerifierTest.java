package io.zeroetl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Drift;
import io.zeroetl.DriftAction;
import io.zeroetl.Naming;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import io.zeroetl.RowDifference;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableValidation;
import io.zeroetl.Verification;
import io.zeroetl.fakes.Harness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Continuous verification's decisions: a drift healed once, a drift a copy did not cure reported once rather than
 * copied over and over, a persisting drift not told again, a table found equal healable again; and where it cannot
 * compare, said once in the status while the pipeline runs on.
 */
class VerifierTest {
    private static final TableId T = TableId.parse("public.t");

    private final Harness h = new Harness();
    private final List<Drift> told = new ArrayList<>();
    private final List<TableId> copied = new ArrayList<>();

    @Test
    void aDriftIsHealedOnceAndOneACopyDidNotCureIsReportedOnceNotCopiedOverAndOver() {
        Control control = activeControl(Verification.every(Duration.ofMinutes(1)));
        VerificationLog log = new VerificationLog(control.config().verification());
        Deque<TableValidation> results =
                new ArrayDeque<>(List.of(differs(), differs(), differs(), differs(), clean(), differs()));
        Verifier verifier = new Verifier(control, null, null, log, table -> {
                    copied.add(table);
                    control.tables().set(table, TableState.SYNCED, null);
                })
                .comparingWith(table -> results.removeFirst());

        verifier.verify(T);
        assertThat(copied).as("healed").containsExactly(T);
        verifier.verify(T);
        assertThat(copied).as("a copy did not cure it: not copied again").containsExactly(T);
        assertThat(told)
                .extracting(Drift::outcome)
                .satisfiesExactly(
                        first -> assertThat(first).startsWith("copied again"),
                        second -> assertThat(second).startsWith("not copied again"));
        verifier.verify(T);
        verifier.verify(T);
        assertThat(told).as("a drift that persists is told once").hasSize(2);
        assertThat(log.snapshot(Map.of(), Instant.now()).skipped())
                .containsEntry(T, "still differs from the source, as reported");

        verifier.verify(T);
        verifier.verify(T);
        assertThat(copied).as("found equal, then drifting again: healed again").containsExactly(T, T);
        assertThat(log.snapshot(Map.of(), Instant.now()).driftRows()).isEqualTo(3);
    }

    @Test
    void failTableFailsItWithTheDifferingRowsAndADriftSeenWhileTheTableLeftSyncedIsNotOne() {
        Control control =
                activeControl(Verification.every(Duration.ofMinutes(1)).onDrift(DriftAction.FAIL_TABLE));
        VerificationLog log = new VerificationLog(control.config().verification());
        Verifier verifier = new Verifier(control, null, null, log, copied::add).comparingWith(table -> {
            // the table is being copied again while it is compared: what differed is not drift
            control.tables().set(table, TableState.RESYNCING, null);
            return differs();
        });
        verifier.verify(T);
        assertThat(told).isEmpty();
        assertThat(log.snapshot(Map.of(), Instant.now()).skipped())
                .containsEntry(T, "its state changed while it was verified");

        control.tables().set(T, TableState.SYNCED, null);
        new Verifier(control, null, null, log, copied::add)
                .comparingWith(table -> differs())
                .verify(T);

        assertThat(control.tables().stateOf(T)).isEqualTo(TableState.FAILED);
        assertThat(control.tables().snapshot().get(T).reason())
                .contains("continuous verification found 1 row(s) of public.t differ", "{id=5}", "resync");
        assertThat(copied).isEmpty();
    }

    @Test
    void aTableCopiedAgainWhileItWasComparedIsNotDriftingEvenThoughItIsSyncedAgainWhenTheComparisonEnds() {
        Control control =
                activeControl(Verification.every(Duration.ofMinutes(1)).onDrift(DriftAction.REPORT));
        VerificationLog log = new VerificationLog(control.config().verification());
        // what a schema change the table cannot follow does: the batch that tells of it commits (its later
        // changes wait for the copy), the table is copied again, and it is SYNCED once more
        Verifier verifier = new Verifier(control, null, null, log, copied::add).comparingWith(table -> {
            control.tables().set(table, TableState.RESYNCING, null);
            control.tables().set(table, TableState.SYNCED, null);
            return differs();
        });

        verifier.verify(T);

        assertThat(told).isEmpty();
        assertThat(log.snapshot(Map.of(), Instant.now()).skipped())
                .containsEntry(T, "its state changed while it was verified");
        assertThat(control.tables().stateOf(T)).isEqualTo(TableState.SYNCED);
    }

    private Control activeControl(Verification verification) {
        PipelineListener listener = new PipelineListener() {
            @Override
            public void stateChanged(PipelineState from, PipelineState to) {}

            @Override
            public void driftFound(Drift drift) {
                told.add(drift);
            }
        };
        Control control = new Control(new EngineConfig(
                "p",
                Set.of(T),
                t -> false,
                10,
                1 << 20,
                Duration.ofSeconds(1),
                1 << 20,
                1,
                Duration.ofMillis(1),
                Duration.ofMillis(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                null,
                List.of(listener),
                Map.of(),
                Naming.AS_IS,
                List.of(),
                verification,
                Set.of()));
        control.lifecycle().moveTo(PipelineState.STREAMING);
        control.tables().set(T, TableState.SYNCED, null);
        return control;
    }

    private static TableValidation differs() {
        return result(
                TableValidation.Outcome.MISMATCH,
                List.of(new RowDifference(Map.of("id", "5"), RowDifference.Kind.DIFFERENT, List.of("n"))));
    }

    private static TableValidation clean() {
        return result(TableValidation.Outcome.CLEAN, List.of());
    }

    private static TableValidation result(TableValidation.Outcome outcome, List<RowDifference> differences) {
        return new TableValidation(
                T, outcome, null, 10, 10, "a", "b", differences, false, 0, 0, List.of(), Duration.ofMillis(1));
    }

    @Test
    void aSourceThatOffersNoDigestsIsToldOnceInTheStatusAndThePipelineStreamsOn() {
        try (Pipeline pipeline =
                h.startCaughtUp(h.pipeline().verification(Verification.every(Duration.ofMillis(200))))) {
            Harness.await(
                    "verification said unavailable",
                    () -> pipeline.status().verification().unavailable() != null);

            assertThat(pipeline.status().verification().unavailable()).contains("cannot be validated");
            assertThat(pipeline.status().toString()).contains("verification unavailable");
            assertThat(pipeline.status().verification().lag()).isZero();
            assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
        }
    }

    @Test
    void offMeansNoVerificationAtAll() {
        try (Pipeline pipeline = h.startCaughtUp(h.pipeline().verification(Verification.off()))) {
            assertThat(pipeline.status().verification().settings().enabled()).isFalse();
            assertThat(pipeline.status().toString()).doesNotContain("verif");
        }
    }
}

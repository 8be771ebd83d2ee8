package io.zeroetl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Drift;
import io.zeroetl.DriftAction;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.Verification;
import io.zeroetl.VerificationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the status says of continuous verification: its lag, what it verified, skipped and found. */
class VerificationLogTest {
    private static final TableId A = TableId.parse("public.a");
    private static final TableId B = TableId.parse("public.b");
    private static final TableId C = TableId.parse("public.c");
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final VerificationLog log = new VerificationLog(Verification.every(Duration.ofMinutes(10)));

    @Test
    void lagIsTheAgeOfTheSyncedTableVerifiedLeastRecentlyCountingFromWhenVerificationBegan() {
        Map<TableId, TableStatus> tables = Map.of(
                A, status(A, TableState.SYNCED), B, status(B, TableState.SYNCED), C, status(C, TableState.RESYNCING));
        assertThat(log.snapshot(tables, T0).lag()).as("not verifying yet").isZero();

        log.began(T0);
        log.verified(A, 100, T0.plusSeconds(30));
        VerificationStatus status = log.snapshot(tables, T0.plusSeconds(100));

        assertThat(status.lag()).as("B never verified: since the beginning").isEqualTo(Duration.ofSeconds(100));
        log.verified(B, 50, T0.plusSeconds(90));
        assertThat(log.snapshot(tables, T0.plusSeconds(100)).lag())
                .as("A, verified at 30 s, is the oldest; C is copying and does not count")
                .isEqualTo(Duration.ofSeconds(70));
        assertThat(log.snapshot(tables, T0.plusSeconds(100)).rowsVerified()).isEqualTo(150);

        log.paused();
        assertThat(log.snapshot(tables, T0.plusSeconds(100)).lag())
                .as("standing by")
                .isZero();
    }

    @Test
    void driftsAreCountedAndTheLatestFiftyKeptAndASkipSaysWhyUntilTheTableIsVerified() {
        log.began(T0);
        log.skipped(A, "it is RESYNCING");
        assertThat(log.snapshot(Map.of(), T0).skipped()).containsEntry(A, "it is RESYNCING");
        for (int i = 0; i < 60; i++) {
            log.drift(new Drift(A, 2, false, List.of(), T0.plusSeconds(i), DriftAction.REPORT, "reported only"));
        }
        VerificationStatus status = log.snapshot(Map.of(), T0);
        assertThat(status.driftRows()).isEqualTo(120);
        assertThat(status.drifts()).hasSize(50);
        assertThat(status.drifts().get(0).foundAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(status.skipped()).as("a drift is a verification").doesNotContainKey(A);
    }

    @Test
    void aPassBeginsWithTheTableWhoseSlotTheClockIsInSoARestartGoesOnWhereTheScheduleStands() {
        Duration slot = Duration.ofMinutes(10).dividedBy(4);
        long start = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();

        assertThat(Verifier.firstTable(start, slot, 4)).isZero();
        assertThat(Verifier.firstTable(start + slot.toMillis() * 2 + 1, slot, 4))
                .as("restarted in the third slot: the third table is next")
                .isEqualTo(2);
        assertThat(Verifier.firstTable(start + slot.toMillis() * 5, slot, 4))
                .as("the next interval")
                .isEqualTo(1);
        assertThat(Verifier.firstTable(start, slot, 0)).isZero();
    }

    private static TableStatus status(TableId table, TableState state) {
        return new TableStatus(table, state, null, 0, 0, 0);
    }
}

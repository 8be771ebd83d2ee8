package io.zeroetl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A validation's line reads as what it is: the first snapshot's counts, and why they may differ when CLEAN. */
class TableValidationTest {
    private static TableValidation of(TableValidation.Outcome outcome, long source, long target) {
        return new TableValidation(
                TableId.of("public", "orders"),
                outcome,
                null,
                source,
                target,
                "a",
                source == target ? "a" : "b",
                List.of(),
                false,
                0,
                0,
                List.of(),
                Duration.ofMillis(5));
    }

    @Test
    void aCleanTableWhoseFirstSnapshotDifferedUnderWritesSaysWhy() {
        assertThat(of(TableValidation.Outcome.CLEAN, 20744, 20748).toString())
                .isEqualTo("public.orders: CLEAN, first snapshot: source 20744 rows, target 20748 rows, checksums a / b"
                        + " (rows changed under writes; each differing row matched when rechecked)");
    }

    @Test
    void aCleanTableOfEqualSnapshotsAndAMismatchAddNothing() {
        assertThat(of(TableValidation.Outcome.CLEAN, 3, 3).toString())
                .isEqualTo("public.orders: CLEAN, first snapshot: source 3 rows, target 3 rows, checksums a / a");
        assertThat(of(TableValidation.Outcome.MISMATCH, 3, 4).toString()).doesNotContain("rechecked");
    }
}

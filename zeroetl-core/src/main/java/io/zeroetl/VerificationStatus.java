package io.zeroetl;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a pipeline's continuous verification ({@link Verification}) has done, as part of its
 * {@link PipelineStatus}.
 *
 * @param settings how it verifies
 * @param tablesVerified table comparisons completed (a table compared twice counts twice)
 * @param rowsVerified source rows compared over those
 * @param passes complete passes over all tables
 * @param lag how long ago the SYNCED table verified least recently was last found equal (or, never yet
 *     verified, since verification began on this instance); zero when off or standing by
 * @param lastVerified when each table was last found equal to its source
 * @param skipped why a table was last left out (copying, failed, no key ...), by table
 * @param driftRows differing rows found in all, over every drift
 * @param drifts the latest drifts found (at most 50), oldest first
 * @param unavailable why this pipeline cannot be verified (its source or target offers no digests), or null
 */
public record VerificationStatus(
        Verification settings,
        long tablesVerified,
        long rowsVerified,
        long passes,
        Duration lag,
        Map<TableId, Instant> lastVerified,
        Map<TableId, String> skipped,
        long driftRows,
        List<Drift> drifts,
        String unavailable) {
    /**
     * Checks and copies.
     *
     * @param settings how it verifies
     * @param tablesVerified table comparisons completed
     * @param rowsVerified source rows compared
     * @param passes complete passes over all tables
     * @param lag age of the least recent verification
     * @param lastVerified when each table was last found equal
     * @param skipped why a table was last left out
     * @param driftRows differing rows found in all
     * @param drifts the latest drifts
     * @param unavailable why it cannot verify, or null
     */
    public VerificationStatus {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(lag, "lag");
        lastVerified = Collections.unmodifiableMap(new TreeMap<>(lastVerified));
        skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
        drifts = List.copyOf(drifts);
    }

    @Override
    public String toString() {
        if (!settings.enabled()) {
            return "verification off";
        }
        if (unavailable != null) {
            return "verification unavailable: " + unavailable;
        }
        return "verified " + tablesVerified + " table(s), " + rowsVerified + " rows, " + passes + " pass(es), lag "
                + lag.toSeconds() + " s, " + driftRows + " drifting row(s)"
                + (drifts.isEmpty() ? "" : ", last drift " + drifts.get(drifts.size() - 1));
    }
}

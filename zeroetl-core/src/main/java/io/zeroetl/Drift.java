package io.zeroetl;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A table whose target was found to differ from its source while the pipeline ran: rows that differed on two
 * or more comparisons at successive positions, each after the target had applied the source's position.
 *
 * @param table the source table
 * @param rows how many rows differ (at least: when {@code more} is set, the comparison stopped counting)
 * @param more whether more rows differed than were counted
 * @param sample some of the differing rows, by key
 * @param foundAt when the drift was confirmed
 * @param action what the pipeline did about it
 * @param outcome what that action amounted to, in words (e.g. "copied again while streaming")
 */
public record Drift(
        TableId table,
        long rows,
        boolean more,
        List<RowDifference> sample,
        Instant foundAt,
        DriftAction action,
        String outcome) {
    /**
     * Checks and copies.
     *
     * @param table the source table
     * @param rows how many rows differ
     * @param more whether more rows differed than were counted
     * @param sample some of the differing rows
     * @param foundAt when the drift was confirmed
     * @param action what the pipeline did about it
     * @param outcome what that action amounted to
     */
    public Drift {
        Objects.requireNonNull(table, "table");
        sample = List.copyOf(sample);
        Objects.requireNonNull(foundAt, "foundAt");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public String toString() {
        return table + ": " + rows + (more ? "+" : "") + " row(s) differ, found " + foundAt + ", " + action + " ("
                + outcome + ")" + (sample.isEmpty() ? "" : ", e.g. " + sample.get(0));
    }
}

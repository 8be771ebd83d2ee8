package io.zeroetl;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One table's state and counts, as of a {@link PipelineStatus}.
 *
 * @param table the source table
 * @param state its state
 * @param reason why it is FAILED or RESYNC_REQUIRED; null otherwise
 * @param inserts rows inserted into the target so far by this pipeline run
 * @param updates rows updated so far
 * @param deletes rows deleted so far
 * @param copiedRows rows of the initial copy applied so far
 * @param estimatedRows the source's estimate of the table's rows at the copy (-1 when unknown)
 * @param copyRowsPerSecond the copy's speed so far (0 when not copying)
 * @param note what of the table the source cannot replicate exactly, e.g. generated columns it does not
 *     publish; null when nothing
 */
public record TableStatus(
        TableId table,
        TableState state,
        String reason,
        long inserts,
        long updates,
        long deletes,
        long copiedRows,
        long estimatedRows,
        double copyRowsPerSecond,
        String note) {
    /**
     * Checks table and state.
     *
     * @param table the source table
     * @param state its state
     * @param reason why it is FAILED or RESYNC_REQUIRED; null otherwise
     * @param inserts rows inserted into the target so far by this pipeline run
     * @param updates rows updated so far
     * @param deletes rows deleted so far
     * @param copiedRows rows of the initial copy applied so far
     * @param estimatedRows the source's estimate of the table's rows at the copy (-1 when unknown)
     * @param copyRowsPerSecond the copy's speed so far (0 when not copying)
     * @param note what of the table the source cannot replicate exactly, e.g. generated columns it does not publish;
     *     null when nothing
     */
    public TableStatus {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(state, "state");
    }

    /**
     * Why the table is FAILED or RESYNC_REQUIRED.
     *
     * @return the reason, or empty
     */
    public Optional<String> failureReason() {
        return Optional.ofNullable(reason);
    }

    /**
     * A status with no copy progress and no note.
     *
     * @param table the source table
     * @param state its state
     * @param reason why it is FAILED or RESYNC_REQUIRED; null otherwise
     * @param inserts rows inserted into the target so far by this pipeline run
     * @param updates rows updated so far
     * @param deletes rows deleted so far
     */
    public TableStatus(TableId table, TableState state, String reason, long inserts, long updates, long deletes) {
        this(table, state, reason, inserts, updates, deletes, 0, -1, 0, null);
    }

    /**
     * A status with no note.
     *
     * @param table the source table
     * @param state its state
     * @param reason why it is FAILED or RESYNC_REQUIRED; null otherwise
     * @param inserts rows inserted into the target so far by this pipeline run
     * @param updates rows updated so far
     * @param deletes rows deleted so far
     * @param copiedRows rows of the initial copy applied so far
     * @param estimatedRows the source's estimate of the table's rows at the copy (-1 when unknown)
     * @param copyRowsPerSecond the copy's speed so far (0 when not copying)
     */
    public TableStatus(
            TableId table,
            TableState state,
            String reason,
            long inserts,
            long updates,
            long deletes,
            long copiedRows,
            long estimatedRows,
            double copyRowsPerSecond) {
        this(table, state, reason, inserts, updates, deletes, copiedRows, estimatedRows, copyRowsPerSecond, null);
    }

    /** {@return how long the copy still needs at its current speed, when it is running and the estimate is known} */
    public Optional<Duration> copyEta() {
        if (copyRowsPerSecond <= 0
                || estimatedRows < 0
                || !(state == TableState.SNAPSHOTTING || state == TableState.RESYNCING)) {
            return Optional.empty();
        }
        long left = Math.max(0, estimatedRows - copiedRows);
        return Optional.of(Duration.ofMillis((long) (left * 1000 / copyRowsPerSecond)));
    }

    @Override
    public String toString() {
        String copy = state == TableState.SNAPSHOTTING || state == TableState.RESYNCING
                ? " copied " + copiedRows + (estimatedRows >= 0 ? " of ~" + estimatedRows : "")
                        + String.format(
                                " (%.0f rows/s%s)",
                                copyRowsPerSecond,
                                copyEta()
                                        .map(d -> ", ETA " + d.toSeconds() + " s")
                                        .orElse(""))
                : "";
        return table + " " + state + (reason == null ? "" : " (" + reason + ")") + copy + " +" + inserts + " ~"
                + updates + " -" + deletes + (note == null ? "" : " [note: " + note + "]");
    }
}

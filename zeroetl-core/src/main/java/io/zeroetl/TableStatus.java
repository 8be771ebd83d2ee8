package io.zeroetl;

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
 */
public record TableStatus(TableId table, TableState state, String reason, long inserts, long updates, long deletes) {
    /** Checks table and state. */
    public TableStatus {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(state, "state");
    }

    /** Why the table is FAILED or RESYNC_REQUIRED. */
    public Optional<String> failureReason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public String toString() {
        return table + " " + state + (reason == null ? "" : " (" + reason + ")") + " +" + inserts + " ~" + updates
                + " -" + deletes;
    }
}

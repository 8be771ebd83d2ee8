package io.zeroetl;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A snapshot of a pipeline's progress, from {@link Pipeline#status()}.
 *
 * @param state the lifecycle state
 * @param sourcePosition the end of the source's log as last seen
 * @param confirmedPosition the position last acknowledged to the source (it may release log up to there)
 * @param appliedPosition the end of the last transaction committed in the target
 * @param lagBytes source log bytes not yet processed, from where the pipeline's stream began (never the raw
 *     log position); 0 when nothing is pending
 * @param lagMillis how long ago the oldest change not yet in the target was committed at the source; 0 when
 *     none is waiting
 * @param rowsPerSecond row changes applied per second, over the last ten seconds
 * @param tables each table's state and counts (unmodifiable, ordered by name)
 * @param failure what stopped the pipeline, or the last transient error being retried; null if none
 * @param rejectedMessages messages in the source's stream that claimed to be zeroetl's own (e.g. a schema
 *     change) but failed its check — forged by a database user, or damaged; each changed nothing and was
 *     logged as a warning
 * @param sourceWarnings what the source's last health check found wrong that no table's state shows (e.g. its
 *     slot about to lose WAL it needs, schema changes no longer captured), each saying what to do
 * @param at when the snapshot was taken
 */
public record PipelineStatus(
        PipelineState state,
        Lsn sourcePosition,
        Lsn confirmedPosition,
        Lsn appliedPosition,
        long lagBytes,
        long lagMillis,
        double rowsPerSecond,
        Map<TableId, TableStatus> tables,
        String failure,
        long rejectedMessages,
        List<String> sourceWarnings,
        VerificationStatus verification,
        Instant at) {
    /**
     * Checks and copies.
     *
     * @param state the lifecycle state
     * @param sourcePosition the end of the source's log as last seen
     * @param confirmedPosition the position last acknowledged to the source (it may release log up to there)
     * @param appliedPosition the end of the last transaction committed in the target
     * @param lagBytes source log bytes not yet processed, from where the pipeline's stream began (never the raw log
     *     position); 0 when nothing is pending
     * @param lagMillis how long ago the oldest change not yet in the target was committed at the source; 0 when none
     *     is waiting
     * @param rowsPerSecond row changes applied per second, over the last ten seconds
     * @param tables each table's state and counts (unmodifiable, ordered by name)
     * @param failure what stopped the pipeline, or the last transient error being retried; null if none
     * @param rejectedMessages messages in the source's stream that claimed to be zeroetl's own (e.g. a schema change)
     *     but failed its check — forged by a database user, or damaged; each changed nothing and was logged as a
     *     warning
     * @param sourceWarnings what the source's last health check found wrong that no table's state shows (e.g. its
     *     slot about to lose WAL it needs, schema changes no longer captured), each saying what to do
     * @param verification what the continuous verification has compared and found
     * @param at when the snapshot was taken
     */
    public PipelineStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sourcePosition, "sourcePosition");
        Objects.requireNonNull(confirmedPosition, "confirmedPosition");
        Objects.requireNonNull(appliedPosition, "appliedPosition");
        tables = Collections.unmodifiableMap(new TreeMap<>(tables));
        sourceWarnings = List.copyOf(sourceWarnings);
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(at, "at");
    }

    /** {@return the last error, permanent or being retried} */
    public Optional<String> lastError() {
        return Optional.ofNullable(failure);
    }

    /**
     * One table's status.
     *
     * @param table the source table
     * @return its status, or empty when the pipeline does not replicate it
     */
    public Optional<TableStatus> table(TableId table) {
        return Optional.ofNullable(tables.get(table));
    }

    /** A readable multi-line summary, free of credentials. */
    @Override
    public String toString() {
        String header = String.format(
                "%s source %s applied %s confirmed %s lag %d bytes / %d ms, %.0f rows/s",
                state, sourcePosition, appliedPosition, confirmedPosition, lagBytes, lagMillis, rowsPerSecond);
        String perTable = tables.values().stream()
                .sorted((a, b) -> a.table().compareTo(b.table()))
                .map(t -> "\n  " + t)
                .collect(Collectors.joining());
        return header
                + perTable
                + (rejectedMessages == 0 ? "" : "\n  rejected messages: " + rejectedMessages)
                + sourceWarnings.stream().map(w -> "\n  source: " + w).collect(Collectors.joining())
                + (verification.settings().enabled() ? "\n  " + verification : "")
                + (failure == null ? "" : "\n  error: " + failure);
    }
}

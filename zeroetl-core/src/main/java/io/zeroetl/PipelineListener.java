package io.zeroetl;

import java.time.Duration;

/**
 * Hears about a pipeline's state changes. Called on the pipeline's own threads, in order, so keep it
 * quick; what it throws is logged and ignored.
 *
 * <pre>{@code
 * ZeroEtl.from(source).to(target).tables("public.orders")
 *         .listener((from, to) -> metrics.gauge("zeroetl.state", to.ordinal()))
 *         .start();
 * }</pre>
 */
@FunctionalInterface
public interface PipelineListener {
    /**
     * The pipeline moved from {@code from} to {@code to}.
     *
     * @param from the state it left
     * @param to the state it entered
     */
    void stateChanged(PipelineState from, PipelineState to);

    /**
     * Table {@code status.table()} moved to {@code status.state()}.
     *
     * @param status the table's status after the move
     */
    default void tableStateChanged(TableStatus status) {}

    /**
     * A batch was committed in the target.
     *
     * @param transactions the whole source transactions it held
     * @param rows the row changes it held (copied rows included)
     * @param took from the batch's first event to its commit in the target
     */
    default void batchApplied(long transactions, long rows, Duration took) {}

    /**
     * A transient failure is being retried.
     *
     * @param error what failed
     * @param attempt the retry's number, from 1
     * @param delay how long the pipeline waits before it
     */
    default void retrying(ZeroEtlException error, int attempt, Duration delay) {}

    /**
     * Continuous verification found {@code drift.table()}'s target different from its source, and did what
     * {@code drift.action()} says.
     *
     * @param drift what was found and done
     */
    default void driftFound(Drift drift) {}
}

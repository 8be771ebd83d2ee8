package io.zeroetl;

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
    /** The pipeline moved from {@code from} to {@code to}. */
    void stateChanged(PipelineState from, PipelineState to);

    /** Table {@code status.table()} moved to {@code status.state()}. */
    default void tableStateChanged(TableStatus status) {
    }
}

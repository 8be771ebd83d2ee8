package io.zeroetl;

import java.time.Duration;

/**
 * A running replication pipeline, made by {@link PipelineBuilder#start()}.
 *
 * <pre>{@code
 * try (Pipeline pipeline = ZeroEtl.from(source).to(target).tables("public.orders").start()) {
 *     pipeline.awaitCaughtUp(Duration.ofSeconds(30));
 *     System.out.println(pipeline.status());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface Pipeline extends AutoCloseable {
    /** {@return the current lifecycle state} */
    PipelineState state();

    /** {@return a snapshot of the pipeline's progress} */
    PipelineStatus status();

    /**
     * Waits until everything the source committed before this call is in the target, and every table is
     * copied: none is PENDING, SNAPSHOTTING or RESYNCING (each is SYNCED, or stopped: FAILED,
     * RESYNC_REQUIRED, DROPPED).
     *
     * @param timeout how long to wait at most
     * @return true when caught up, false when {@code timeout} passed first (also while the source cannot be
     *     reached: the pipeline reconnects by itself)
     * @throws ZeroEtlException when the pipeline failed (or fails while waiting), with the failure
     * @throws IllegalStateException when the pipeline was closed
     */
    boolean awaitCaughtUp(Duration timeout);

    /**
     * Copies {@code table} ({@code schema.table}) again while the other tables keep streaming: its target
     * contents are replaced, in one target transaction, by a copy consistent with the stream. The table is
     * RESYNCING until then, SYNCED after. A FAILED table can be resynced once its cause is fixed.
     *
     * @param table the source table, {@code schema.table}
     * @throws ZeroEtlException naming the table when it is not replicated by this pipeline; with code
     *     ILLEGAL_STATE when this instance stands by (another instance is active: resync there)
     */
    void resync(String table);

    /**
     * Compares the target with the source for every table of this pipeline while it keeps streaming, as
     * {@link ZeroEtl#validate(Source, Target)} does with this pipeline's id.
     *
     * @return the report, one result per table
     * @throws ZeroEtlException when the target does not reach the source's position within 5 minutes
     */
    ValidationReport validate();

    /**
     * Stops the pipeline: the batch being applied is finished when its transactions are complete (and
     * abandoned, rolled back, otherwise), the committed position is acknowledged to the source, and
     * connections are closed, within the configured close timeout. Idempotent.
     */
    @Override
    void close();
}

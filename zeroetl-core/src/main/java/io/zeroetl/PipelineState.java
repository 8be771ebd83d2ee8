package io.zeroetl;

/**
 * A pipeline's lifecycle, in order. A pipeline only moves forward: STARTING, then SNAPSHOTTING (when an
 * initial copy is needed) and STREAMING, then STOPPING and STOPPED after {@link Pipeline#close()}; or
 * FAILED from any state on a permanent error. STOPPED and FAILED are final.
 */
public enum PipelineState {
    /** Connecting, checking the source and the target, finding the position to resume from. */
    STARTING,
    /** Copying the tables' current contents. */
    SNAPSHOTTING,
    /** Following the change stream. */
    STREAMING,
    /** Closing: finishing or abandoning the current batch. */
    STOPPING,
    /** Closed; everything committed was acknowledged to the source. */
    STOPPED,
    /** Stopped by a permanent error; {@link PipelineStatus#failure()} says which. */
    FAILED;

    /** {@return whether the pipeline can no longer change state} */
    public boolean isFinal() {
        return this == STOPPED || this == FAILED;
    }
}

package io.zeroetl;

/**
 * A pipeline's lifecycle, in order. A pipeline moves forward: STARTING, then SNAPSHOTTING (when an initial
 * copy is needed) and STREAMING, then STOPPING and STOPPED after {@link Pipeline#close()}; or FAILED from any
 * state on a permanent error. STOPPED and FAILED are final. The one way back is STANDBY: an instance of a
 * pipeline that another instance (same pipelineId, source and target) runs waits in STANDBY, and moves from
 * STANDBY to SNAPSHOTTING or STREAMING when it takes over; an active instance that loses its place steps back
 * to STANDBY.
 */
public enum PipelineState {
    /** Connecting, checking the source and the target, finding the position to resume from. */
    STARTING,
    /**
     * Another instance of this pipeline is active: this one holds no slot and applies nothing, and takes over
     * when that instance stops, dies or is cut off.
     */
    STANDBY,
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

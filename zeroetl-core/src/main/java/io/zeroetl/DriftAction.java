package io.zeroetl;

/**
 * What a pipeline does when its continuous verification finds a table whose target differs from its source
 * (see {@link Verification}). Each drift is recorded in {@link PipelineStatus#verification()}, told to
 * {@link PipelineListener#driftFound}, and logged, whatever the action.
 */
public enum DriftAction {
    /** The table is copied again while the others keep streaming (as {@link Pipeline#resync}): the default. */
    HEAL,
    /** The table turns FAILED with the drift as its reason; a {@link Pipeline#resync} brings it back. */
    FAIL_TABLE,
    /** Nothing changes: the drift is only reported. */
    REPORT
}

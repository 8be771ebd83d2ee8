package io.zeroetl;

/** A replicated table's state, as AWS zero-ETL names them. */
public enum TableState {
    /**
     * Selected, and nothing of it is known to be in the target yet: the pipeline is connecting, or its
     * copy waits for the source. Followed by SNAPSHOTTING (a first start) or SYNCED (resuming).
     */
    PENDING,
    /** Its current contents are being copied. */
    SNAPSHOTTING,
    /** Its changes are being applied. */
    SYNCED,
    /** Stopped with a reason (see {@link TableStatus#reason()}); the other tables continue. */
    FAILED,
    /** Must be copied again, e.g. after a change the target cannot follow in place. */
    RESYNC_REQUIRED,
    /** Being copied again while the other tables keep streaming. */
    RESYNCING,
    /**
     * Dropped at the source (with DDL capture); the target table is kept or dropped as the target's policy
     * says. A table of the same name created again and still selected is copied and streams again.
     */
    DROPPED
}

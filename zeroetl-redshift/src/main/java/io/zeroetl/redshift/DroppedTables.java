package io.zeroetl.redshift;

/** What happens to a table's target when the source drops the table (seen with DDL capture). */
public enum DroppedTables {
    /** The target table stays with its rows (the default); the table is DROPPED in the pipeline's status. */
    KEEP,
    /** The target table is dropped too, in the transaction of the batch that holds the DROP. */
    DROP
}

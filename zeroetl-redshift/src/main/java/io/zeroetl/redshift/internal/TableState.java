package io.zeroetl.redshift.internal;

/**
 * A table's state in {@code zeroetl_table_state}, as stored in its {@code state} column. A table without a
 * row has not been copied yet.
 */
enum TableState {
    /** Its copy committed; its changes apply. */
    SYNCED,
    /** It failed, with the reason beside it; it stays failed across restarts until resynced. */
    FAILED,
    /** The source dropped it. */
    DROPPED,
    /** A new copy was asked for (the reason beside it) and has not committed: a restart copies it again. */
    COPY_PENDING,
    /**
     * Its copy committed in part: the source's record of how far (beside it, in the reason column) is what a
     * restart resumes the copy from.
     */
    COPYING;

    /** The state as an SQL string literal (the names are fixed, plain words). */
    String literal() {
        return "'" + name() + "'";
    }
}

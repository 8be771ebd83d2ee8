package io.zeroetl.internal.engine;

import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.UpdateEvent;

/**
 * Row changes of one table in one batch.
 *
 * @param inserts rows inserted
 * @param updates rows updated
 * @param deletes rows deleted
 */
record RowCounts(long inserts, long updates, long deletes) {
    static final RowCounts NONE = new RowCounts(0, 0, 0);

    /** {@return these counts and {@code change}} */
    RowCounts plus(RowChange change) {
        return new RowCounts(
                inserts + (change instanceof InsertEvent ? 1 : 0),
                updates + (change instanceof UpdateEvent ? 1 : 0),
                deletes + (change instanceof DeleteEvent ? 1 : 0));
    }
}

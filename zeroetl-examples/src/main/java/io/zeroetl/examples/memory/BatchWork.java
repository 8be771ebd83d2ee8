package io.zeroetl.examples.memory;

import io.zeroetl.TableId;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One batch's events applied to the batch's copies of its tables. Begin, commit, snapshot and schema-change
 * events carry nothing to store: a schema change is followed through the relation event that comes with it.
 */
final class BatchWork {
    private final Function<TableId, MemoryTable> copies;
    private final BiConsumer<TableId, MemoryTable> creates;

    /**
     * @param copies the batch's copy of a table (made on first touch), or null when there is none yet
     * @param creates records a table the batch creates
     */
    BatchWork(Function<TableId, MemoryTable> copies, BiConsumer<TableId, MemoryTable> creates) {
        this.copies = copies;
        this.creates = creates;
    }

    void apply(ChangeEvent event) {
        if (event instanceof RelationEvent relation) {
            MemoryTable table = copies.apply(relation.table());
            if (table == null) {
                table = new MemoryTable();
                creates.accept(relation.table(), table);
            }
            table.describe(relation.schema());
        } else if (event instanceof InsertEvent insert) {
            table(insert.table()).insert(insert.row());
        } else if (event instanceof UpdateEvent update) {
            table(update.table()).update(update.oldRow(), update.oldIsKeyOnly(), update.newRow());
        } else if (event instanceof DeleteEvent delete) {
            table(delete.table()).delete(delete.oldRow(), delete.oldIsKeyOnly());
        } else if (event instanceof TruncateEvent truncate) {
            for (TableId id : truncate.tables()) {
                MemoryTable table = copies.apply(id);
                if (table != null) {
                    table.clear();
                }
            }
        }
    }

    private MemoryTable table(TableId id) {
        MemoryTable table = copies.apply(id);
        if (table == null) {
            throw new IllegalStateException("a change of " + id + " before its relation event");
        }
        return table;
    }
}

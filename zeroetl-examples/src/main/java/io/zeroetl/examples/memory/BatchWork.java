package io.zeroetl.examples.memory;

import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One batch's events applied to the batch's copies of its tables. A schema change's renamed columns keep their
 * values; columns added, dropped or retyped are followed through the relation event that comes with it. A
 * truncate happens at its transaction's commit time (the time soft deletes and history versions record). Commit
 * and snapshot events carry nothing to store: a copy's rows replace the table's through the truncate before them.
 */
final class BatchWork {
    private final Function<TableId, MemoryTable> copies;
    private final BiConsumer<TableId, MemoryTable> creates;
    private OffsetDateTime commitTime = OffsetDateTime.now(ZoneOffset.UTC);

    /**
     * @param copies the batch's copy of a table (made on first touch), or null when there is none yet
     * @param creates records a table the batch creates
     */
    BatchWork(Function<TableId, MemoryTable> copies, BiConsumer<TableId, MemoryTable> creates) {
        this.copies = copies;
        this.creates = creates;
    }

    void apply(ChangeEvent event) {
        if (event instanceof BeginEvent begin) {
            commitTime = begin.commitTime().atOffset(ZoneOffset.UTC);
        } else if (event instanceof SchemaChangeEvent change
                && !change.renamedColumns().isEmpty()) {
            MemoryTable table = copies.apply(change.table());
            if (table != null) {
                table.rename(change.renamedColumns());
            }
        } else if (event instanceof RelationEvent relation) {
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
                    table.truncate(commitTime);
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

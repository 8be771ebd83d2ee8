package io.zeroetl.change;

import io.zeroetl.TableId;
import java.util.Objects;

/**
 * A row was deleted.
 *
 * @param table the table
 * @param oldRow the deleted row: only its key columns (others null) when {@code oldIsKeyOnly}
 * @param oldIsKeyOnly whether {@code oldRow} holds only the key columns
 * @param estimatedBytes memory held, see {@link ChangeEvent#estimatedBytes()}
 */
public record DeleteEvent(TableId table, Row oldRow, boolean oldIsKeyOnly, int estimatedBytes) implements RowChange {
    /**
     * Checks that nothing is null.
     *
     * @param table the table
     * @param oldRow the deleted row: only its key columns (others null) when {@code oldIsKeyOnly}
     * @param oldIsKeyOnly whether {@code oldRow} holds only the key columns
     * @param estimatedBytes memory held, see {@link ChangeEvent#estimatedBytes()}
     */
    public DeleteEvent {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(oldRow, "oldRow");
    }
}

package io.zeroetl.change;

import io.zeroetl.TableId;
import java.util.Objects;

/**
 * A row was inserted.
 *
 * @param table the table
 * @param row the new row
 * @param estimatedBytes memory held, see {@link ChangeEvent#estimatedBytes()}
 */
public record InsertEvent(TableId table, Row row, int estimatedBytes) implements RowChange {
    /**
     * Checks that nothing is null.
     *
     * @param table the table
     * @param row the new row
     * @param estimatedBytes memory held, see {@link ChangeEvent#estimatedBytes()}
     */
    public InsertEvent {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(row, "row");
    }
}

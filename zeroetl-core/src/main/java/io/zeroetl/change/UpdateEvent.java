package io.zeroetl.change;

import io.zeroetl.TableId;
import java.util.Objects;
import java.util.Optional;

/**
 * A row was updated.
 *
 * @param table the table
 * @param oldRow the old row's identity when the source sent it: only the key columns (others null) when
 *     {@code oldIsKeyOnly}, else the whole old row; null when the key did not change and the table
 *     is not REPLICA IDENTITY FULL
 * @param oldIsKeyOnly whether {@code oldRow} holds only the key columns
 * @param newRow the new row, with {@link Row#UNCHANGED} for unchanged large values
 * @param estimatedBytes memory held, see {@link ChangeEvent#estimatedBytes()}
 */
public record UpdateEvent(TableId table, Row oldRow, boolean oldIsKeyOnly, Row newRow, int estimatedBytes)
        implements RowChange {
    /**
     * Checks that the table and new row are given.
     *
     * @param table the table
     * @param oldRow the old row's identity when the source sent it: only the key columns (others null) when {@code
     *     oldIsKeyOnly}, else the whole old row; null when the key did not change and the table is not REPLICA
     *     IDENTITY FULL
     * @param oldIsKeyOnly whether {@code oldRow} holds only the key columns
     * @param newRow the new row, with {@link Row#UNCHANGED} for unchanged large values
     * @param estimatedBytes memory held, see {@link ChangeEvent#estimatedBytes()}
     */
    public UpdateEvent {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(newRow, "newRow");
    }

    /** {@return the old row or key, when the source sent one} */
    public Optional<Row> old() {
        return Optional.ofNullable(oldRow);
    }
}

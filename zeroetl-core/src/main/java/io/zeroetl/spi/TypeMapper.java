package io.zeroetl.spi;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;

/**
 * Maps source column types to target column types and values. The target's default can be replaced,
 * or wrapped to change a few columns and delegate the rest:
 *
 * <pre>{@code
 * TypeMapper mine = (table, column) -> column.name().equals("price")
 *         ? myDecimalMapping
 *         : defaults.map(table, column);
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface TypeMapper {
    /**
     * {@return how {@code column} of {@code table} lands in the target}
     *
     * @param table the source table
     * @param column the source column
     */
    ColumnMapping map(TableId table, Column column);
}

package io.zeroetl.change;

import java.util.Objects;

/**
 * A column of a source table.
 *
 * @param name the column name, case preserved
 * @param type its source type
 * @param key whether it is part of the table's replica identity (normally the primary key)
 * @param nullable whether it may hold NULL (true when the source does not say)
 */
public record Column(String name, ColumnType type, boolean key, boolean nullable) {
    /** Checks that nothing is null. */
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}

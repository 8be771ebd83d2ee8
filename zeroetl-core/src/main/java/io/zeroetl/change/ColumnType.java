package io.zeroetl.change;

import java.util.Objects;

/**
 * A column's type in the source.
 *
 * @param name the source's name for the type, e.g. {@code int4}, {@code numeric}, {@code varchar},
 *     {@code _text} for arrays, or a user type's name
 * @param id the source's numeric type id (PostgreSQL: the type OID), or 0 when unknown
 * @param modifier the type modifier (PostgreSQL: atttypmod; e.g. length or precision), -1 for none
 */
public record ColumnType(String name, int id, int modifier) {
    /** Checks the name. */
    public ColumnType {
        Objects.requireNonNull(name, "name");
    }

    /** A type with no id and no modifier. */
    public static ColumnType named(String name) {
        return new ColumnType(name, 0, -1);
    }
}

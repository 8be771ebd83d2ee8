package io.zeroetl.change;

import java.util.Objects;

/**
 * A column's type in the source.
 *
 * @param name the source's name for the type: a built-in name such as {@code int4}, {@code numeric},
 *     {@code varchar}; for an array the element type's name; for a domain its base type's name; for an
 *     enum, composite, range or extension type its own name
 * @param id the source's numeric type id (PostgreSQL: the column's type OID), or 0 when unknown
 * @param modifier the type modifier (PostgreSQL: atttypmod; e.g. length or precision), -1 for none
 * @param kind what sort of type it is
 */
public record ColumnType(String name, int id, int modifier, Kind kind) {
    /** What sort of type a column has. */
    public enum Kind {
        /** A built-in scalar type. */
        BASE,
        /** An array of {@link #name()} (values are {@link java.util.List}s, nested for more dimensions). */
        ARRAY,
        /** An enum (values are their labels). */
        ENUM,
        /** A composite (row) type (values are its text form). */
        COMPOSITE,
        /** A range or multirange type (values are their text form). */
        RANGE,
        /** A type from an extension or otherwise unknown (values are their text form). */
        OTHER
    }

    /**
     * Checks name and kind.
     *
     * @param name the source's name for the type: a built-in name such as {@code int4}, {@code numeric}, {@code
     *     varchar}; for an array the element type's name; for a domain its base type's name; for an enum, composite,
     *     range or extension type its own name
     * @param id the source's numeric type id (PostgreSQL: the column's type OID), or 0 when unknown
     * @param modifier the type modifier (PostgreSQL: atttypmod; e.g. length or precision), -1 for none
     * @param kind what sort of type it is
     */
    public ColumnType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * A built-in type with an id and modifier.
     *
     * @param name the source's name for the type: a built-in name such as {@code int4}, {@code numeric}, {@code
     *     varchar}; for an array the element type's name; for a domain its base type's name; for an enum, composite,
     *     range or extension type its own name
     * @param id the source's numeric type id (PostgreSQL: the column's type OID), or 0 when unknown
     * @param modifier the type modifier (PostgreSQL: atttypmod; e.g. length or precision), -1 for none
     */
    public ColumnType(String name, int id, int modifier) {
        this(name, id, modifier, Kind.BASE);
    }

    /**
     * {@return a built-in type with no id and no modifier}
     *
     * @param name the type's name, e.g. {@code int4}
     */
    public static ColumnType named(String name) {
        return new ColumnType(name, 0, -1, Kind.BASE);
    }
}

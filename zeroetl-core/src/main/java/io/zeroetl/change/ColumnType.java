package io.zeroetl.change;

import java.util.Objects;

/**
 * A column's type: the source's own description of it, and the {@link ValueType} its values have. The
 * engine reads only {@link #kind()} and {@link #value()}; {@code name}, {@code id} and {@code modifier}
 * are the source's words, for type mappers that know that source.
 *
 * @param name the source's name for the type: a built-in name (for PostgreSQL e.g. {@code int4},
 *     {@code varchar}); for an array the element type's name; for a domain its base type's name; for an
 *     enum, composite, range or extension type its own name; for a type made of a value type alone
 *     ({@link #of(ValueType)}) that value type's {@link ValueType#typeName()}
 * @param id the source's numeric type id (PostgreSQL: the column's type OID), or 0 when unknown
 * @param modifier the type modifier (PostgreSQL: atttypmod; e.g. length or precision), -1 for none
 * @param kind what sort of type it is
 * @param value what its values are (for an array: its elements)
 */
public record ColumnType(String name, int id, int modifier, Kind kind, ValueType value) {
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
     * Checks name, kind and value type.
     *
     * @param name the source's name for the type
     * @param id the source's numeric type id, or 0 when unknown
     * @param modifier the type modifier, -1 for none
     * @param kind what sort of type it is
     * @param value what its values are (for an array: its elements)
     */
    public ColumnType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /**
     * A built-in scalar type.
     *
     * @param name the source's name for the type
     * @param id the source's numeric type id, or 0 when unknown
     * @param modifier the type modifier, -1 for none
     * @param value what its values are
     */
    public ColumnType(String name, int id, int modifier, ValueType value) {
        this(name, id, modifier, Kind.BASE, value);
    }

    /**
     * {@return a built-in scalar type with no id and no modifier}
     *
     * @param name the source's name for the type, e.g. {@code int4}
     * @param value what its values are
     */
    public static ColumnType named(String name, ValueType value) {
        return new ColumnType(name, 0, -1, Kind.BASE, value);
    }

    /**
     * {@return the type made of {@code value} alone, named {@link ValueType#typeName()}: what the engine gives
     * the columns it adds, and what a source that has no type names of its own may use}
     *
     * @param value what its values are
     */
    public static ColumnType of(ValueType value) {
        return named(value.typeName(), value);
    }
}

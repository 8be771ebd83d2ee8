package io.zeroetl.change;

import java.util.Objects;

/**
 * A column's type: the source's own description of it, the {@link ValueType} its values have, and its size
 * in neutral terms (a length, a precision and scale), decoded by the source. The engine reads only
 * {@link #kind()} and {@link #value()}; a type mapper reads the {@link #size()} and, when it knows the
 * source, its {@code name} and {@code id}.
 *
 * @param name the source's name for the type: a built-in name (for PostgreSQL e.g. {@code int4},
 *     {@code varchar}); for an array the element type's name; for a domain its base type's name; for an
 *     enum, composite, range or extension type its own name; for a type made of a value type alone
 *     ({@link #of(ValueType)}) that value type's {@link ValueType#typeName()}
 * @param id the source's numeric type id (PostgreSQL: the column's type OID), or 0 when unknown
 * @param size the type's length, or precision and scale, as the source declares them; {@link Size#NONE} for none
 * @param kind what sort of type it is
 * @param value what its values are (for an array: its elements)
 */
public record ColumnType(String name, int id, Size size, Kind kind, ValueType value) {
    /**
     * How large a type's values may be, as declared: a string's or bit string's {@code length} (characters or
     * bits), a decimal's {@code precision} and {@code scale} (digits; a negative scale rounds to tens,
     * hundreds...), a time's {@code precision} (fractional-second digits). -1 where the type declares none;
     * the scale means something only with a precision.
     *
     * @param length the declared length, or -1
     * @param precision the declared precision, or -1
     * @param scale the declared scale (with a precision)
     */
    public record Size(int length, int precision, int scale) {
        /** No declared size: {@code text}, {@code numeric} without precision, {@code int4}... */
        public static final Size NONE = new Size(-1, -1, 0);

        /**
         * {@return a declared length}
         *
         * @param length characters (strings) or bits (bit strings)
         */
        public static Size length(int length) {
            return new Size(length, -1, 0);
        }

        /**
         * {@return a declared precision and scale}
         *
         * @param precision the digits in all
         * @param scale the digits after the decimal point (negative: rounding before it)
         */
        public static Size decimal(int precision, int scale) {
            return new Size(-1, precision, scale);
        }

        /**
         * {@return a declared fractional-seconds precision}
         *
         * @param precision the fractional digits
         */
        public static Size seconds(int precision) {
            return new Size(-1, precision, 0);
        }

        /** {@return whether a length is declared} */
        public boolean hasLength() {
            return length >= 0;
        }

        /** {@return whether a precision is declared} */
        public boolean hasPrecision() {
            return precision >= 0;
        }
    }

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
     * @param size the declared size, {@link Size#NONE} for none
     * @param kind what sort of type it is
     * @param value what its values are (for an array: its elements)
     */
    public ColumnType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /**
     * A built-in scalar type.
     *
     * @param name the source's name for the type
     * @param id the source's numeric type id, or 0 when unknown
     * @param size the declared size, {@link Size#NONE} for none
     * @param value what its values are
     */
    public ColumnType(String name, int id, Size size, ValueType value) {
        this(name, id, size, Kind.BASE, value);
    }

    /**
     * {@return a built-in scalar type with no id and no declared size}
     *
     * @param name the source's name for the type, e.g. {@code int4}
     * @param value what its values are
     */
    public static ColumnType named(String name, ValueType value) {
        return new ColumnType(name, 0, Size.NONE, Kind.BASE, value);
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

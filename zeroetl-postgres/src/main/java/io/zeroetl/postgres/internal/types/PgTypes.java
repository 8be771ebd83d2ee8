package io.zeroetl.postgres.internal.types;

import io.zeroetl.change.ColumnType;
import io.zeroetl.change.SpecialValue;
import io.zeroetl.change.ValueType;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * What each PostgreSQL type OID is and how its text output decodes. Built-in types are known; any other
 * OID (arrays, enums, domains, composites, ranges, extension types) is looked up in {@code pg_type} once
 * and cached. Thread-safe.
 *
 * <p>Java values: bool → Boolean; int2/int4/int8/oid → Short/Integer/Long/Long; float4/float8 →
 * Float/Double (NaN, ±Infinity, -0 kept); numeric → BigDecimal or {@link SpecialValue}; money →
 * BigDecimal; text types, json, jsonb, xml, inet, cidr, macaddr(8), bit, varbit, pg_lsn, tsvector,
 * enums, composites, ranges and unknown types → String; bytea → byte[]; uuid → UUID; date →
 * LocalDate; time → LocalTime; timetz → OffsetTime; timestamp → LocalDateTime; timestamptz →
 * OffsetDateTime in UTC; interval → {@link io.zeroetl.change.Interval}; infinities and 24:00:00 →
 * {@link SpecialValue}; arrays → unmodifiable lists (nested per dimension, null elements kept) of decoded
 * numbers, booleans and JSON texts, and of every other element's PostgreSQL text.
 */
public final class PgTypes {
    /**
     * A type: how a column of it is described, and how its values decode.
     *
     * @param name the type's name (a domain's base type's)
     * @param kind what sort of type it is
     * @param value what its values (an array's elements) are
     * @param decoder how its text output decodes
     * @param modifier the type modifier a domain gives its base type (e.g. numeric(10,2)), -1 for none
     */
    public record Info(String name, ColumnType.Kind kind, ValueType value, ValueDecoder decoder, int modifier) {
        /** A type without a modifier of its own. */
        public Info(String name, ColumnType.Kind kind, ValueType value, ValueDecoder decoder) {
            this(name, kind, value, decoder, -1);
        }

        /** {@return the column type of a column of this type whose OID is {@code oid}, given its modifier} */
        public ColumnType columnType(int oid, int columnModifier) {
            return new ColumnType(name, oid, size(name, modifierOf(columnModifier)), kind, value);
        }

        /** The modifier a column of this type has, given the column's own ({@code -1} for none). */
        public int modifierOf(int columnModifier) {
            return columnModifier != -1 ? columnModifier : modifier;
        }
    }

    /**
     * A type modifier (atttypmod) in neutral terms: numeric's precision and scale, a string's length in
     * characters, a bit string's in bits, a time's fractional-second digits; {@link ColumnType.Size#NONE} for
     * types whose modifier says nothing a target needs, and for none.
     *
     * @param name the type's name (for an array, its element's)
     * @param typmod the modifier, -1 for none
     * @return the size
     */
    public static ColumnType.Size size(String name, int typmod) {
        if (typmod < 0) {
            return ColumnType.Size.NONE;
        }
        return switch (name) {
            // (precision << 16 | scale) + VARHDRSZ, the scale an 11-bit two's complement (negative from 15)
            case "numeric" ->
                typmod < 4
                        ? ColumnType.Size.NONE
                        : ColumnType.Size.decimal(
                                ((typmod - 4) >> 16) & 0xFFFF, (((typmod - 4) & 0x7FF) ^ 1024) - 1024);
            case "varchar", "bpchar" -> typmod < 4 ? ColumnType.Size.NONE : ColumnType.Size.length(typmod - 4);
            case "bit", "varbit" -> ColumnType.Size.length(typmod);
            case "time", "timetz", "timestamp", "timestamptz" -> ColumnType.Size.seconds(typmod);
            // the low 16 bits; all of them set is "no precision" (INTERVAL_FULL_PRECISION)
            case "interval" ->
                (typmod & 0xFFFF) == 0xFFFF ? ColumnType.Size.NONE : ColumnType.Size.seconds(typmod & 0xFFFF);
            default -> ColumnType.Size.NONE;
        };
    }

    /**
     * A row of pg_type, as the lookup returns it.
     *
     * @param typmod a domain's {@code typtypmod}: the modifier it gives its base type, -1 for none
     */
    public record TypeRow(
            int oid, String name, char type, char category, int element, int baseType, char delimiter, int typmod) {}

    private static final ValueDecoder TEXT = s -> s;
    private static final Map<Integer, Info> BUILT_IN = Map.ofEntries(
            base(16, "bool", ValueType.BOOLEAN, s -> s.equals("t")),
            base(21, "int2", ValueType.INT16, Short::valueOf),
            base(23, "int4", ValueType.INT32, Integer::valueOf),
            base(20, "int8", ValueType.INT64, Long::valueOf),
            base(26, "oid", ValueType.INT64, Long::valueOf),
            base(700, "float4", ValueType.FLOAT32, Float::valueOf),
            base(701, "float8", ValueType.FLOAT64, Double::valueOf),
            base(1700, "numeric", ValueType.DECIMAL, PgTypes::numeric),
            base(790, "money", ValueType.DECIMAL, PgTypes::money),
            base(25, "text", ValueType.STRING, TEXT),
            base(1043, "varchar", ValueType.STRING, TEXT),
            base(1042, "bpchar", ValueType.STRING, TEXT),
            base(19, "name", ValueType.STRING, TEXT),
            base(18, "char", ValueType.STRING, TEXT),
            base(17, "bytea", ValueType.BYTES, PgTypes::bytea),
            base(1082, "date", ValueType.DATE, TemporalText::date),
            base(1083, "time", ValueType.TIME, TemporalText::time),
            base(1266, "timetz", ValueType.OFFSET_TIME, TemporalText::timeTz),
            base(1114, "timestamp", ValueType.DATE_TIME, TemporalText::timestamp),
            base(1184, "timestamptz", ValueType.OFFSET_DATE_TIME, TemporalText::timestampTz),
            base(1186, "interval", ValueType.INTERVAL, TemporalText::interval),
            base(2950, "uuid", ValueType.UUID, UUID::fromString),
            base(114, "json", ValueType.JSON, TEXT),
            base(3802, "jsonb", ValueType.JSON, TEXT),
            base(142, "xml", ValueType.OTHER, TEXT),
            base(869, "inet", ValueType.OTHER, TEXT),
            base(650, "cidr", ValueType.OTHER, TEXT),
            base(829, "macaddr", ValueType.OTHER, TEXT),
            base(774, "macaddr8", ValueType.OTHER, TEXT),
            base(1560, "bit", ValueType.OTHER, TEXT),
            base(1562, "varbit", ValueType.OTHER, TEXT),
            base(3220, "pg_lsn", ValueType.OTHER, TEXT),
            base(3614, "tsvector", ValueType.OTHER, TEXT),
            base(3615, "tsquery", ValueType.OTHER, TEXT));

    /** Element types whose values an array keeps typed (numbers, booleans, JSON documents). */
    public static final Set<String> TYPED_ELEMENTS =
            Set.of("bool", "int2", "int4", "int8", "oid", "float4", "float8", "numeric", "json", "jsonb");

    private final IntFunction<TypeRow> lookup;
    private final Map<Integer, Info> cache = new ConcurrentHashMap<>(BUILT_IN);

    /** Types known by {@code lookup}, which reads one pg_type row by OID (null when there is none). */
    public PgTypes(IntFunction<TypeRow> lookup) {
        this.lookup = lookup;
    }

    /** The type with {@code oid}. */
    public Info info(int oid) {
        Info known = cache.get(oid);
        if (known != null) {
            return known;
        }
        Info resolved = resolve(oid);
        cache.put(oid, resolved);
        return resolved;
    }

    private Info resolve(int oid) {
        TypeRow row = lookup.apply(oid);
        if (row == null) {
            return new Info("oid:" + oid, ColumnType.Kind.OTHER, ValueType.OTHER, TEXT);
        }
        if (row.category() == 'A' && row.element() != 0) {
            Info element = info(row.element());
            // numbers, booleans and JSON documents keep their kind inside an array; every other element
            // stays the text PostgreSQL shows for it, so the array lands as the user sees it in PostgreSQL
            ValueDecoder decoder = element.kind() == ColumnType.Kind.BASE && TYPED_ELEMENTS.contains(element.name())
                    ? element.decoder()
                    : TEXT;
            return new Info(
                    element.name(),
                    ColumnType.Kind.ARRAY,
                    element.value(),
                    s -> ArrayText.parse(s, row.delimiter(), decoder));
        }
        switch (row.type()) {
            case 'd':
                // a domain lands as its base type with the domain's modifier (numeric(10,2), varchar(10))
                Info base = info(row.baseType());
                return new Info(base.name(), base.kind(), base.value(), base.decoder(), base.modifierOf(row.typmod()));
            case 'e':
                return new Info(row.name(), ColumnType.Kind.ENUM, ValueType.STRING, TEXT);
            case 'c':
                return new Info(row.name(), ColumnType.Kind.COMPOSITE, ValueType.OTHER, TEXT);
            case 'r':
            case 'm':
                return new Info(row.name(), ColumnType.Kind.RANGE, ValueType.OTHER, TEXT);
            default:
                return new Info(row.name(), ColumnType.Kind.OTHER, ValueType.OTHER, TEXT);
        }
    }

    private static Map.Entry<Integer, Info> base(int oid, String name, ValueType value, ValueDecoder decoder) {
        return Map.entry(oid, new Info(name, ColumnType.Kind.BASE, value, decoder));
    }

    static Object numeric(String text) {
        switch (text) {
            case "NaN":
                return SpecialValue.NAN;
            case "Infinity":
                return SpecialValue.POSITIVE_INFINITY;
            case "-Infinity":
                return SpecialValue.NEGATIVE_INFINITY;
            default:
                return new BigDecimal(text);
        }
    }

    /** lc_monetary C: {@code $1,234.56}, {@code -$1,234.56}. */
    static Object money(String text) {
        String digits = text.replace("$", "").replace(",", "");
        if (digits.startsWith("(") && digits.endsWith(")")) {
            digits = "-" + digits.substring(1, digits.length() - 1);
        }
        return new BigDecimal(digits);
    }

    /** bytea_output hex: {@code \x0a0b}. */
    static Object bytea(String text) {
        if (!text.startsWith("\\x")) {
            throw new IllegalArgumentException("bytea must be in hex output format (bytea_output = hex)");
        }
        return HexFormat.of().parseHex(text, 2, text.length());
    }
}

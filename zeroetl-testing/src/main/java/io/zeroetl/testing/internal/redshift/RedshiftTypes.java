package io.zeroetl.testing.internal.redshift;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Redshift's column types and their PostgreSQL stand-ins. Lengths of character types are bytes in
 * Redshift, characters in PostgreSQL: the stand-in is unbounded and a CHECK enforces the byte limit,
 * raising Redshift's message through {@code zeroetl_emulator.too_long}. DECIMAL of precision 19 or less is
 * a 64-bit integer in Redshift (r_Numeric_types201): a CHECK keeps its unscaled value within one.
 */
final class RedshiftTypes {
    /** What a Redshift type becomes: the PostgreSQL type, and a CHECK expression (with %s for the column) or null. */
    record Mapped(String type, String check) {}

    private static final Set<String> UNSUPPORTED = Set.of(
            "JSON",
            "JSONB",
            "UUID",
            "BYTEA",
            "SERIAL",
            "BIGSERIAL",
            "SMALLSERIAL",
            "SERIAL2",
            "SERIAL4",
            "SERIAL8",
            "MONEY",
            "INET",
            "CIDR",
            "MACADDR",
            "MACADDR8",
            "BIT",
            "BIT VARYING",
            "VARBIT",
            "XML",
            "TSVECTOR",
            "TSQUERY",
            "HSTORE",
            "POINT",
            "LINE",
            "LSEG",
            "BOX",
            "PATH",
            "POLYGON",
            "CIRCLE",
            "INT4RANGE",
            "INT8RANGE",
            "NUMRANGE",
            "TSRANGE",
            "TSTZRANGE",
            "DATERANGE",
            "TXID_SNAPSHOT",
            "PG_LSN",
            "JSONPATH");
    private static final Set<String> NOT_MODELED = Set.of("GEOMETRY", "GEOGRAPHY", "HLLSKETCH");
    /** Catalog types the driver's own metadata queries cast to; Redshift has them in pg_catalog. */
    private static final Set<String> CATALOG = Set.of(
            "OID",
            "REGCLASS",
            "REGPROC",
            "REGTYPE",
            "NAME",
            "INT2VECTOR",
            "OIDVECTOR",
            "TEXT[]",
            "NAME[]",
            "OID[]",
            "INT2[]",
            "CHAR");

    private RedshiftTypes() {}

    /**
     * Maps a column type written as {@code name} (upper-cased words joined by single spaces, e.g.
     * {@code DOUBLE PRECISION}) with {@code args} (the text inside its parentheses, or null) and
     * {@code array} (whether {@code []} or ARRAY followed).
     *
     * @throws Rejected when Redshift does not have the type or the arguments exceed its limits
     */
    static Mapped column(String name, String args, boolean array) {
        if (array) {
            throw Rejected.unsupported("Column type " + name.toLowerCase(Locale.ROOT) + "[] is not supported: Redshift"
                    + " has no array types (store arrays as SUPER)");
        }
        switch (name) {
            case "SMALLINT":
            case "INT2":
            case "INTEGER":
            case "INT":
            case "INT4":
            case "BIGINT":
            case "INT8":
            case "REAL":
            case "FLOAT4":
            case "DOUBLE PRECISION":
            case "FLOAT8":
            case "BOOLEAN":
            case "BOOL":
            case "DATE":
            case "TIME":
            case "TIME WITHOUT TIME ZONE":
            case "TIMETZ":
            case "TIME WITH TIME ZONE":
            case "TIMESTAMP":
            case "TIMESTAMP WITHOUT TIME ZONE":
            case "TIMESTAMPTZ":
            case "TIMESTAMP WITH TIME ZONE":
            case "INTERVAL YEAR TO MONTH":
            case "INTERVAL DAY TO SECOND":
                return new Mapped(name.toLowerCase(Locale.ROOT) + (args == null ? "" : "(" + args + ")"), null);
            case "FLOAT":
                return new Mapped(
                        args != null && Integer.parseInt(args.trim()) <= 24 ? "real" : "double precision", null);
            case "DECIMAL":
            case "NUMERIC":
                return decimal(args);
            case "CHAR":
            case "CHARACTER":
            case "NCHAR":
            case "BPCHAR":
                int chars = length(args, name.equals("BPCHAR") ? 256 : 1, 4096, name);
                return new Mapped(
                        "char(" + chars + ")",
                        "%1$s IS NULL OR octet_length(%1$s) = char_length(%1$s) OR zeroetl_emulator.not_ascii(%1$s, "
                                + chars + ")");
            case "VARCHAR":
            case "CHARACTER VARYING":
            case "NVARCHAR":
            case "TEXT":
            case "NATIONAL CHARACTER VARYING":
                int bytes = name.equals("TEXT") ? 256 : length(args, 256, 65535, name);
                return new Mapped(
                        "varchar",
                        "%1$s IS NULL OR octet_length(%1$s) <= " + bytes
                                + " OR zeroetl_emulator.too_long('character varying', " + bytes + ")");
            case "VARBYTE":
            case "VARBINARY":
            case "BINARY VARYING":
                int octets = length(args, 64000, 16_777_216, name);
                return new Mapped(
                        "bytea",
                        "%1$s IS NULL OR octet_length(%1$s) <= " + octets + " OR zeroetl_emulator.too_long('varbyte', "
                                + octets + ")");
            case "SUPER":
                return new Mapped("jsonb", null);
            case "INTERVAL":
                throw Rejected.unsupported("Column type interval needs a qualifier in Redshift: INTERVAL YEAR TO MONTH"
                        + " or INTERVAL DAY TO SECOND");
            default:
                if (UNSUPPORTED.contains(name)) {
                    throw Rejected.unsupported(
                            "Column type " + name.toLowerCase(Locale.ROOT) + " is not supported by Redshift");
                }
                if (NOT_MODELED.contains(name)) {
                    throw Rejected.unsupported("Column type " + name.toLowerCase(Locale.ROOT)
                            + " is not modeled by the Redshift emulator");
                }
                throw new Rejected(
                        Rejected.UNDEFINED_TYPE,
                        "type \"" + name.toLowerCase(Locale.ROOT)
                                + "\" does not exist (Redshift has no enums, domains or user-defined types)");
        }
    }

    /** The PostgreSQL type for a cast target, or null to leave the cast as written. */
    static String cast(String name, String args, boolean array) {
        if (CATALOG.contains(name + (array ? "[]" : ""))) {
            return null;
        }
        Mapped mapped = column(name, args, array);
        return mapped.type();
    }

    /** Whether {@code word} (upper case) can start a type name. */
    static boolean startsMultiWord(String word) {
        return List.of("DOUBLE", "CHARACTER", "TIMESTAMP", "TIME", "INTERVAL", "BIT", "BINARY", "NATIONAL")
                .contains(word);
    }

    private static Mapped decimal(String args) {
        int precision = 18;
        int scale = 0;
        if (args != null) {
            String[] parts = args.split(",");
            precision = Integer.parseInt(parts[0].trim());
            scale = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 0;
        }
        if (precision < 1 || precision > 38) {
            throw new Rejected(Rejected.INTERNAL, "DECIMAL precision " + precision + " must be between 1 and 38");
        }
        if (scale < 0 || scale > 37 || scale > precision) {
            throw new Rejected(
                    Rejected.INTERNAL,
                    "DECIMAL scale " + scale + " must be between 0 and 37 and not above" + " the precision "
                            + precision);
        }
        // precision 19 or less is stored as a 64-bit integer: the unscaled value must fit one
        String check = precision > 19
                ? null
                : "%1$s IS NULL OR abs(%1$s * 1e" + scale + ") <= 9223372036854775807 OR zeroetl_emulator.overflow("
                        + precision + ", " + scale + ")";
        return new Mapped("numeric(" + precision + "," + scale + ")", check);
    }

    private static int length(String args, int absent, int max, String type) {
        if (args == null) {
            return absent;
        }
        String value = args.trim();
        if (value.equalsIgnoreCase("MAX")) {
            return max;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw Rejected.syntax(value, "the length of " + type.toLowerCase(Locale.ROOT) + " must be a number or MAX");
        }
        if (n < 1 || n > max) {
            throw new Rejected(
                    Rejected.INTERNAL, "length for type " + type.toLowerCase(Locale.ROOT) + " cannot exceed " + max);
        }
        return n;
    }

    /** A Redshift type name and arguments in one canonical spelling, e.g. {@code VARCHAR(10)}, {@code VARBYTE}. */
    static String redshiftType(String name, String args) {
        String n = switch (name) {
            case "CHARACTER VARYING", "NVARCHAR", "TEXT" -> "VARCHAR";
            case "CHARACTER", "NCHAR", "BPCHAR" -> "CHAR";
            case "VARBINARY", "BINARY VARYING" -> "VARBYTE";
            case "BOOL" -> "BOOLEAN";
            default -> name;
        };
        return args == null ? n : n + "(" + args.replace(" ", "") + ")";
    }

    /** The Redshift type of a backing PostgreSQL column, from its {@code format_type}. */
    static String fromPostgres(String formatType) {
        String t = formatType.toUpperCase(Locale.ROOT);
        if (t.equals("JSONB")) {
            return "SUPER";
        }
        if (t.equals("BYTEA")) {
            return "VARBYTE";
        }
        if (t.startsWith("CHARACTER VARYING")) {
            return "VARCHAR" + t.substring("CHARACTER VARYING".length());
        }
        if (t.startsWith("CHARACTER")) {
            return "CHAR" + t.substring("CHARACTER".length());
        }
        return t;
    }
}

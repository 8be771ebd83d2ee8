package io.zeroetl.redshift;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.UnreadableValue;
import io.zeroetl.change.ValueType;
import io.zeroetl.redshift.internal.TargetValues;
import io.zeroetl.spi.ColumnMapping;
import io.zeroetl.spi.TypeMapper;
import io.zeroetl.spi.UnstorableValueException;
import java.util.function.Function;

/**
 * zeroetl's default mapping of PostgreSQL types to Redshift's. It starts from AWS zero-ETL's and keeps
 * more: {@code time}/{@code timetz} as TIME/TIMETZ, {@code numeric(p,s)} as DECIMAL(p,s), string lengths
 * counted in bytes (a {@code varchar(n)} can need 4·n bytes), {@code char(n)} as VARCHAR (Redshift's
 * CHAR holds ASCII only), json/jsonb/arrays as SUPER, uuid as CHAR(36), bytea as VARBYTE, enums and
 * domains as their natural types. Lossless text where Redshift has no type: unbounded {@code numeric}
 * as VARCHAR (its exact decimal text), {@code interval} as VARCHAR (ISO 8601, e.g. {@code P1Y2M3DT4H}).
 *
 * <p>Values become the text Redshift reads for the target type; values Redshift cannot hold (NaN,
 * infinities, numerics over 38 digits, strings over the byte limit, NUL, lone surrogates, years outside
 * 4713 BC–294276 AD) raise {@link io.zeroetl.spi.UnstorableValueException}.
 *
 * <pre>{@code
 * TypeMapper mine = (table, column) -> column.name().equals("price")
 *         ? RedshiftTypeMapper.mapping("DECIMAL(12,2)", v -> v.toString())
 *         : RedshiftTypeMapper.DEFAULT.map(table, column);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RedshiftTypeMapper implements TypeMapper {
    /** The default mapper. */
    public static final RedshiftTypeMapper DEFAULT = new RedshiftTypeMapper();

    private RedshiftTypeMapper() {}

    /**
     * {@return a mapping to {@code targetType} whose values are rendered by {@code render} (null stays null)}
     *
     * @param targetType the Redshift type, e.g. {@code VARCHAR(36)}
     * @param render renders a non-null source value as the text Redshift reads for that type
     */
    public static ColumnMapping mapping(String targetType, Function<Object, String> render) {
        return new ColumnMapping() {
            @Override
            public String targetType() {
                return targetType;
            }

            @Override
            public Object convert(Object value) {
                if (value instanceof UnreadableValue unreadable) {
                    throw new UnstorableValueException(
                            "the source's value could not be read (" + unreadable.reason() + ")");
                }
                return value == null ? null : render.apply(value);
            }
        };
    }

    @Override
    public ColumnMapping map(TableId table, Column column) {
        ColumnType type = column.type();
        switch (type.kind()) {
            case ARRAY:
                // arrays of json/jsonb hold documents: they land as SUPER arrays of documents, not of strings
                return type.name().equals("json")
                        ? mapping("SUPER", v -> TargetValues.jsonDocuments(v, true))
                        : type.name().equals("jsonb")
                                ? mapping("SUPER", v -> TargetValues.jsonDocuments(v, false))
                                : mapping("SUPER", TargetValues::json);
            case ENUM:
                return text(256);
            case COMPOSITE:
            case RANGE:
            case OTHER:
                return text(TargetValues.MAX_VARCHAR_BYTES);
            default:
                return base(type);
        }
    }

    /**
     * PostgreSQL types whose name says more than their value type (a length, a precision, a narrower text);
     * every other type lands by its value type.
     */
    private static ColumnMapping base(ColumnType type) {
        ColumnType.Size size = type.size();
        switch (type.name()) {
            case "numeric":
                return numeric(size);
            case "money":
                // as zero-ETL: 17 integer digits and 3 decimals hold any money value; DECIMAL precision above
                // 19 is stored in 128 bits, so even the smallest money value cannot overflow (r_Numeric_types201)
                return decimal(20, 3);
            case "varchar":
            case "bpchar":
                return size.length() > 0
                        ? text((int) Math.min(4L * size.length(), TargetValues.MAX_VARCHAR_BYTES))
                        : text(TargetValues.MAX_VARCHAR_BYTES);
            case "char":
                return text(4);
            case "name":
                return text(256);
            case "inet":
            case "cidr":
                return text(64);
            case "macaddr":
            case "macaddr8":
            case "pg_lsn":
                return text(32);
            case "json":
                // PostgreSQL's json keeps a repeated key, which Redshift refuses: resolved as jsonb would
                return mapping("SUPER", TargetValues::jsonDeduplicated);
            default:
                return byValue(type.value());
        }
    }

    /**
     * What a value type lands as — for PostgreSQL's types without more to say, the engine's own columns and a
     * host source's types alike; exact decimals without a precision as their text, as unbounded numeric does.
     */
    private static ColumnMapping byValue(ValueType value) {
        return switch (value) {
            case BOOLEAN -> mapping("BOOLEAN", Object::toString);
            case INT16 -> mapping("SMALLINT", TargetValues::number);
            case INT32 -> mapping("INTEGER", TargetValues::number);
            case INT64 -> mapping("BIGINT", TargetValues::number);
            case FLOAT32 -> mapping("REAL", TargetValues::number);
            case FLOAT64 -> mapping("DOUBLE PRECISION", TargetValues::number);
            case BYTES -> mapping("VARBYTE(" + TargetValues.MAX_VARBYTE_BYTES + ")", v -> TargetValues.hex((byte[]) v));
            case DATE -> mapping("DATE", TargetValues::date);
            case TIME -> mapping("TIME", TargetValues::time);
            case OFFSET_TIME -> mapping("TIMETZ", TargetValues::timeTz);
            case DATE_TIME -> mapping("TIMESTAMP", TargetValues::timestamp);
            case OFFSET_DATE_TIME -> mapping("TIMESTAMPTZ", TargetValues::timestampTz);
            case INTERVAL -> mapping("VARCHAR(64)", TargetValues::interval);
            case UUID -> mapping("CHAR(36)", Object::toString);
            case JSON -> mapping("SUPER", TargetValues::json);
            case DECIMAL, STRING, OTHER -> text(TargetValues.MAX_VARCHAR_BYTES);
        };
    }

    /**
     * numeric(p,s) as DECIMAL where Redshift has an exact one (precision 1-38, scale 0-37 and at most the
     * precision: r_Numeric_types201): a negative scale (PostgreSQL 15+: values rounded to tens, hundreds...)
     * becomes DECIMAL(p - s, 0), a scale above the precision (only decimals below 10^(p-s)) DECIMAL(s, s);
     * what still does not fit (numeric(38,38), precision above 38, unbounded numeric) lands as its exact
     * decimal text in VARCHAR.
     */
    private static ColumnMapping numeric(ColumnType.Size size) {
        if (!size.hasPrecision()) {
            return text(TargetValues.MAX_VARCHAR_BYTES);
        }
        int precision = size.precision();
        int scale = size.scale();
        if (scale < 0) {
            precision -= scale;
            scale = 0;
        } else if (scale > precision) {
            precision = scale;
        }
        if (precision > 38 || scale > 37) {
            return text(TargetValues.MAX_VARCHAR_BYTES);
        }
        return decimal(precision, scale);
    }

    private static ColumnMapping decimal(int precision, int scale) {
        return mapping("DECIMAL(" + precision + "," + scale + ")", v -> TargetValues.decimal(v, precision, scale));
    }

    private static ColumnMapping text(int bytes) {
        return mapping("VARCHAR(" + bytes + ")", v -> TargetValues.text(v, bytes));
    }

    @Override
    public String toString() {
        return "RedshiftTypeMapper.DEFAULT";
    }
}

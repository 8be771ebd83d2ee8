package io.zeroetl.internal.transform;

import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.SpecialValue;
import io.zeroetl.internal.transform.RowFilter.Kind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** The values a {@link RowFilter} compares: each column's kind, literals read as that kind, SQL comparison. */
final class FilterValues {
    private FilterValues() {}

    static Integer compare(Kind kind, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        switch (kind) {
            case NUMBER:
                return ((BigDecimal) a).compareTo((BigDecimal) b);
            case DATE:
                return ((LocalDate) a).compareTo((LocalDate) (b instanceof String s ? temporal(kind, s) : b));
            case DATE_TIME:
                return ((LocalDateTime) a).compareTo((LocalDateTime) (b instanceof String s ? temporal(kind, s) : b));
            case POINT_IN_TIME:
                return ((OffsetDateTime) a)
                        .toInstant()
                        .compareTo(((OffsetDateTime) (b instanceof String s ? temporal(kind, s) : b)).toInstant());
            case BOOLEAN:
                return Boolean.compare((Boolean) a, (Boolean) b);
            default:
                return a.toString().compareTo(b.toString());
        }
    }

    /** A date or timestamp literal: a date alone means its midnight; a timestamp without offset is UTC. */
    static Object temporal(Kind kind, String literal) {
        String t = literal.trim().replace(' ', 'T');
        if (kind == Kind.DATE) {
            return LocalDate.parse(t);
        }
        LocalDateTime local = t.length() == 10 ? LocalDate.parse(t).atStartOfDay() : null;
        if (kind == Kind.DATE_TIME) {
            return local != null ? local : LocalDateTime.parse(t);
        }
        if (local != null) {
            return local.atOffset(ZoneOffset.UTC);
        }
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeParseException noOffset) {
            return LocalDateTime.parse(t).atOffset(ZoneOffset.UTC);
        }
    }

    /** Numbers as BigDecimal; infinities and NaN compare as unknown. */
    static Object normalize(Object value) {
        if (value instanceof SpecialValue) {
            return null;
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
        }
        if (value instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? null : new BigDecimal(f.toString());
        }
        if (value instanceof Number n && !(value instanceof BigDecimal)) {
            return BigDecimal.valueOf(n.longValue());
        }
        return value;
    }

    static Kind kind(Column column) {
        if (column.type().kind() != ColumnType.Kind.BASE) {
            return column.type().kind() == ColumnType.Kind.ENUM ? Kind.STRING : Kind.OTHER;
        }
        return switch (column.type().value()) {
            case INT16, INT32, INT64, DECIMAL, FLOAT32, FLOAT64 -> Kind.NUMBER;
            case STRING, UUID -> Kind.STRING;
            case BOOLEAN -> Kind.BOOLEAN;
            case DATE -> Kind.DATE;
            case DATE_TIME -> Kind.DATE_TIME;
            case OFFSET_DATE_TIME -> Kind.POINT_IN_TIME;
            default -> Kind.OTHER;
        };
    }

    static boolean like(String value, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }
}

package io.zeroetl.redshift.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.zeroetl.change.Interval;
import io.zeroetl.change.SpecialValue;
import io.zeroetl.spi.UnstorableValueException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Renders decoded values as the text Redshift reads for each target type, checking Redshift's limits:
 * what it cannot hold raises {@link UnstorableValueException} with the reason, never a silent change.
 */
public final class TargetValues {
    /** Writes the JSON of array values: quotes, backslashes and control characters escaped, as JSON asks. */
    private static final JsonFactory JSON = new JsonFactory();
    /** Redshift's VARCHAR limit in bytes. */
    public static final int MAX_VARCHAR_BYTES = 65_535;
    /** Redshift's VARBYTE limit in bytes (r_VARBYTE_type). */
    public static final int MAX_VARBYTE_BYTES = 16_777_216;
    /** DECIMAL of precision 19 or less is stored as a 64-bit integer (r_Numeric_types201). */
    private static final int MAX_64_BIT_PRECISION = 19;

    /** Each thread's copy of the text being checked, kept up to the VARCHAR limit. */
    private static final ThreadLocal<char[]> CHARS = ThreadLocal.withInitial(() -> new char[256]);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final int MIN_YEAR = -4712;
    private static final int MAX_YEAR = 294_276;

    private TargetValues() {}

    public static String number(Object value) {
        if (value instanceof SpecialValue special) {
            throw new UnstorableValueException("numeric " + special + " has no Redshift DECIMAL form");
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw new UnstorableValueException("floating-point " + d + " is not storable in Redshift");
        }
        if (value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            throw new UnstorableValueException("floating-point " + f + " is not storable in Redshift");
        }
        if (value instanceof BigDecimal big) {
            if (big.precision() - big.scale() > 38 || big.precision() > 38 && big.scale() <= 0) {
                throw new UnstorableValueException(
                        "numeric with " + big.precision() + " digits exceeds Redshift's" + " precision of 38");
            }
            return big.toPlainString();
        }
        return value.toString();
    }

    /**
     * A value for DECIMAL({@code precision},{@code scale}): at most {@code precision - scale} integer digits,
     * rounded to {@code scale} decimals as Redshift's INSERT does, and — as precision 19 or less is stored in
     * 64 bits — an unscaled value within a signed 64-bit integer.
     */
    public static String decimal(Object value, int precision, int scale) {
        String text = number(value);
        if (!(value instanceof BigDecimal big)) {
            return text;
        }
        BigDecimal rounded = big.setScale(scale, RoundingMode.HALF_UP);
        if (rounded.precision() - rounded.scale() > precision - scale) {
            throw new UnstorableValueException("numeric " + big.toPlainString() + " has more than "
                    + (precision - scale) + " integer digits, the most DECIMAL(" + precision + "," + scale + ") holds");
        }
        // 18 digits or fewer always fit in 64 bits: only a longer value needs its unscaled value looked at
        if (precision <= MAX_64_BIT_PRECISION
                && rounded.precision() > 18
                && rounded.unscaledValue().bitLength() > 63) {
            throw new UnstorableValueException("numeric " + big.toPlainString() + " exceeds DECIMAL(" + precision + ","
                    + scale + "), which Redshift stores as a 64-bit integer (at most 9223372036854775807 units of"
                    + " the last decimal)");
        }
        return text;
    }

    /** Text for VARCHAR/CHAR: no NUL, no lone surrogate, at most {@code maxBytes} bytes. */
    public static String text(Object value, int maxBytes) {
        String s = value instanceof String str
                ? str
                : value instanceof BigDecimal big
                        ? big.toPlainString()
                        : value == SpecialValue.NAN
                                ? "NaN"
                                : value == SpecialValue.POSITIVE_INFINITY
                                        ? "Infinity"
                                        : value == SpecialValue.NEGATIVE_INFINITY ? "-Infinity" : value.toString();
        // one pass over the characters copied out at once (charAt checks bounds and the string's coder on every
        // call), no encoding: NUL and lone surrogates refused, UTF-8 bytes counted (a pair is 4)
        int length = s.length();
        char[] chars = CHARS.get();
        if (chars.length < length) {
            chars = new char[Math.max(length, 2 * chars.length)];
            if (length <= MAX_VARCHAR_BYTES) {
                CHARS.set(chars);
            }
        }
        s.getChars(0, length, chars, 0);
        long bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c < 0x80) {
                if (c == 0) {
                    throw new UnstorableValueException("text contains a NUL character, which Redshift cannot store");
                }
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (!Character.isSurrogate(c)) {
                bytes += 3;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                throw new UnstorableValueException("text contains a lone surrogate code point");
            }
        }
        if (bytes > maxBytes) {
            throw new UnstorableValueException(
                    "text of " + bytes + " bytes exceeds the column's " + maxBytes + " bytes");
        }
        return s;
    }

    public static String hex(byte[] bytes) {
        if (bytes.length > MAX_VARBYTE_BYTES) {
            throw new UnstorableValueException("binary value of " + bytes.length + " bytes exceeds Redshift's VARBYTE"
                    + " limit of " + MAX_VARBYTE_BYTES);
        }
        return HexFormat.of().formatHex(bytes);
    }

    public static String date(Object value) {
        LocalDate date = (LocalDate) finite(value, "date");
        checkYear(date.getYear());
        StringBuilder sb = new StringBuilder(14);
        year(sb, date.getYear());
        sb.append('-');
        two(sb, date.getMonthValue());
        sb.append('-');
        two(sb, date.getDayOfMonth());
        return date.getYear() <= 0 ? sb.append(" BC").toString() : sb.toString();
    }

    public static String timestamp(Object value) {
        LocalDateTime t = (LocalDateTime) finite(value, "timestamp");
        checkYear(t.getYear());
        StringBuilder sb = new StringBuilder(30);
        year(sb, t.getYear());
        sb.append('-');
        two(sb, t.getMonthValue());
        sb.append('-');
        two(sb, t.getDayOfMonth());
        sb.append(' ');
        clock(sb, t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
        return t.getYear() <= 0 ? sb.append(" BC").toString() : sb.toString();
    }

    public static String timestampTz(Object value) {
        OffsetDateTime t = ((OffsetDateTime) finite(value, "timestamptz")).withOffsetSameInstant(ZoneOffset.UTC);
        String local = timestamp(t.toLocalDateTime());
        return local.endsWith(" BC") ? local.substring(0, local.length() - 3) + "+00 BC" : local + "+00";
    }

    public static String time(Object value) {
        if (value == SpecialValue.END_OF_DAY) {
            return "24:00:00";
        }
        return TIME.format((LocalTime) value);
    }

    public static String timeTz(Object value) {
        if (value instanceof OffsetTime t) {
            // Redshift keeps TIMETZ in UTC; sending it so keeps the emulator and the cluster alike
            OffsetTime utc = t.withOffsetSameInstant(ZoneOffset.UTC);
            return TIME.format(utc) + "+00:00";
        }
        return value.toString();
    }

    public static String interval(Object value) {
        return ((Interval) value).toString();
    }

    /**
     * A JSON document for SUPER: arrays become JSON arrays; json/jsonb text is passed through; a string in it
     * over 65,535 bytes cannot be stored ({@link SuperValues}).
     */
    public static String json(Object value) {
        if (value instanceof List<?> list) {
            return SuperValues.checked(text(write(g -> writeJson(g, list)), 16 * 1024 * 1024));
        }
        return SuperValues.checked(text(value, 16 * 1024 * 1024));
    }

    /** A PostgreSQL json document for SUPER, its repeated keys resolved as jsonb would (the last wins). */
    public static String jsonDeduplicated(Object value) {
        return SuperValues.checked(SuperValues.deduplicated(text(value, 16 * 1024 * 1024)));
    }

    /**
     * An array of json or jsonb values for SUPER: a JSON array whose elements are the documents themselves
     * (each element's text is JSON already), so PartiQL can navigate into them; {@code deduplicate}: json
     * documents, whose repeated keys are resolved as jsonb would.
     */
    public static String jsonDocuments(Object value, boolean deduplicate) {
        return SuperValues.checked(text(write(g -> writeDocuments(g, value, deduplicate)), 16 * 1024 * 1024));
    }

    private interface JsonWriting {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(JsonWriting writing) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writing.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeDocuments(JsonGenerator g, Object v, boolean deduplicate) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object element : list) {
                writeDocuments(g, element, deduplicate);
            }
            g.writeEndArray();
        } else {
            g.writeRawValue(deduplicate ? SuperValues.deduplicated(v.toString()) : v.toString());
        }
    }

    private static void writeJson(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object element : list) {
                writeJson(g, element);
            }
            g.writeEndArray();
        } else if (v instanceof SpecialValue special) {
            // PostgreSQL's own JSON form of such elements (array_to_json): a string
            g.writeString(
                    switch (special) {
                        case NAN -> "NaN";
                        case POSITIVE_INFINITY -> "infinity";
                        case NEGATIVE_INFINITY -> "-infinity";
                        case END_OF_DAY -> "24:00:00";
                    });
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigDecimal || v instanceof Double || v instanceof Float) {
            // the number's exact text, as PostgreSQL prints it
            g.writeNumber(number(v));
        } else {
            g.writeString(v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v));
        }
    }

    private static Object finite(Object value, String type) {
        if (value instanceof SpecialValue special) {
            throw new UnstorableValueException(
                    type + " " + special.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " has no Redshift form");
        }
        return value;
    }

    private static void checkYear(int year) {
        if (year < MIN_YEAR || year > MAX_YEAR) {
            throw new UnstorableValueException("year " + year + " is outside Redshift's range 4713 BC to 294276 AD");
        }
    }

    /** The year as at least four digits, BC years counted from 1 (ISO year 0 is 1 BC). */
    private static void year(StringBuilder sb, int isoYear) {
        int y = isoYear <= 0 ? 1 - isoYear : isoYear;
        for (int digits = y < 10 ? 3 : y < 100 ? 2 : y < 1000 ? 1 : 0; digits > 0; digits--) {
            sb.append('0');
        }
        sb.append(y);
    }

    private static void two(StringBuilder sb, int n) {
        sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /** {@code HH:mm:ss.SSSSSS} (as the TIME pattern), without a formatter's cost per value. */
    private static void clock(StringBuilder sb, int hour, int minute, int second, int nano) {
        two(sb, hour);
        sb.append(':');
        two(sb, minute);
        sb.append(':');
        two(sb, second);
        sb.append('.');
        int micros = nano / 1000;
        for (int div = 100_000; div > 0; div /= 10) {
            sb.append((char) ('0' + micros / div % 10));
        }
    }
}

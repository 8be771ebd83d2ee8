package io.zeroetl.postgres.internal.types;

import io.zeroetl.change.Interval;
import io.zeroetl.change.SpecialValue;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses PostgreSQL's date and time output with DateStyle ISO and IntervalStyle iso_8601 (the reader
 * sets both): BC dates become proleptic years (1 BC is year 0), years past 9999 are kept, and infinities
 * become {@link SpecialValue}s.
 */
final class TemporalText {
    private static final Pattern INTERVAL_PART = Pattern.compile("(-?\\d+(?:\\.\\d+)?)([YMDHS])");

    private TemporalText() {}

    static Object date(String text) {
        Object special = infinity(text);
        if (special != null) {
            return special;
        }
        boolean bc = text.endsWith(" BC");
        return date(text, 0, bc ? text.length() - 3 : text.length(), bc);
    }

    /**
     * {@code text[from, to)} as {@code YYYY[Y...]-MM-DD} (four or more year digits), read without a regular
     * expression or substrings: this runs for every date and timestamp value decoded.
     */
    private static LocalDate date(String text, int from, int to, boolean bc) {
        int dash = from;
        while (dash < to && isDigit(text.charAt(dash))) {
            dash++;
        }
        if (dash - from < 4
                || dash - from > 9
                || to - dash != 6
                || text.charAt(dash) != '-'
                || text.charAt(dash + 3) != '-') {
            throw new IllegalArgumentException("not an ISO date: " + text);
        }
        int year = digits(text, from, dash);
        int month = twoDigits(text, dash + 1);
        int day = twoDigits(text, dash + 4);
        if (month < 0 || day < 0) {
            throw new IllegalArgumentException("not an ISO date: " + text);
        }
        return LocalDate.of(bc ? 1 - year : year, month, day);
    }

    static Object timestamp(String text) {
        Object special = infinity(text);
        if (special != null) {
            return special;
        }
        boolean bc = text.endsWith(" BC");
        int end = bc ? text.length() - 3 : text.length();
        int space = text.indexOf(' ');
        if (space < 0 || space >= end) {
            throw new IllegalArgumentException("not an ISO timestamp: " + text);
        }
        Object time = time(text, space + 1, end);
        if (!(time instanceof LocalTime local)) {
            throw new IllegalArgumentException("not an ISO timestamp: " + text);
        }
        return LocalDateTime.of(date(text, 0, space, bc), local);
    }

    static Object timestampTz(String text) {
        Object special = infinity(text);
        if (special != null) {
            return special;
        }
        boolean bc = text.endsWith(" BC");
        int end = bc ? text.length() - 3 : text.length();
        int space = text.indexOf(' ');
        if (space < 0 || space >= end) {
            throw new IllegalArgumentException("not an ISO timestamp: " + text);
        }
        int offsetAt = offsetStart(text, space + 1, end);
        Object time = time(text, space + 1, offsetAt);
        if (!(time instanceof LocalTime local)) {
            throw new IllegalArgumentException("not an ISO timestamp: " + text);
        }
        return OffsetDateTime.of(LocalDateTime.of(date(text, 0, space, bc), local), offset(text, offsetAt, end))
                .withOffsetSameInstant(ZoneOffset.UTC);
    }

    static Object time(String text) {
        return time(text, 0, text.length());
    }

    /** {@code text[from, to)} as {@code HH:MM:SS[.fraction]} (one to nine fraction digits). */
    private static Object time(String text, int from, int to) {
        int length = to - from;
        if (length < 8
                || length == 9
                || length > 18
                || text.charAt(from + 2) != ':'
                || text.charAt(from + 5) != ':'
                || (length > 8 && text.charAt(from + 8) != '.')) {
            throw new IllegalArgumentException("not a time: " + text.substring(from, to));
        }
        int hour = twoDigits(text, from);
        int minute = twoDigits(text, from + 3);
        int second = twoDigits(text, from + 6);
        int nanos = 0;
        for (int i = from + 9, scale = 100_000_000; i < to; i++, scale /= 10) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                throw new IllegalArgumentException("not a time: " + text.substring(from, to));
            }
            nanos += (c - '0') * scale;
        }
        if (hour < 0 || minute < 0 || second < 0) {
            throw new IllegalArgumentException("not a time: " + text.substring(from, to));
        }
        if (hour == 24) {
            return SpecialValue.END_OF_DAY;
        }
        return LocalTime.of(hour, minute, second, nanos);
    }

    static Object timeTz(String text) {
        int offsetAt = offsetStart(text, 0, text.length());
        Object time = time(text, 0, offsetAt);
        ZoneOffset offset = offset(text, offsetAt, text.length());
        if (time == SpecialValue.END_OF_DAY) {
            return text;
        }
        return OffsetTime.of((LocalTime) time, offset);
    }

    /** ISO 8601 with signed parts, e.g. {@code P1Y-2M3DT-4H5M6.5S}. */
    static Interval interval(String text) {
        if (!text.startsWith("P")) {
            throw new IllegalArgumentException("not an ISO 8601 interval (IntervalStyle must be iso_8601): " + text);
        }
        int t = text.indexOf('T');
        String datePart = t < 0 ? text.substring(1) : text.substring(1, t);
        String timePart = t < 0 ? "" : text.substring(t + 1);
        long months = 0;
        long days = 0;
        Matcher m = INTERVAL_PART.matcher(datePart);
        while (m.find()) {
            long v = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "Y":
                    months += 12 * v;
                    break;
                case "M":
                    months += v;
                    break;
                case "D":
                    days += v;
                    break;
                default:
                    throw new IllegalArgumentException("bad interval: " + text);
            }
        }
        long micros = 0;
        m = INTERVAL_PART.matcher(timePart);
        while (m.find()) {
            BigDecimal v = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "H" -> 3_600_000_000L;
                case "M" -> 60_000_000L;
                case "S" -> 1_000_000L;
                default -> throw new IllegalArgumentException("bad interval: " + text);
            };
            micros += v.multiply(BigDecimal.valueOf(unit)).longValueExact();
        }
        return new Interval(Math.toIntExact(months), Math.toIntExact(days), micros);
    }

    private static Object infinity(String text) {
        if (text.equals("infinity")) {
            return SpecialValue.POSITIVE_INFINITY;
        }
        if (text.equals("-infinity")) {
            return SpecialValue.NEGATIVE_INFINITY;
        }
        return null;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The two digits at {@code at} as a number, or -1 when they are not two digits. */
    private static int twoDigits(String text, int at) {
        char a = text.charAt(at);
        char b = text.charAt(at + 1);
        return isDigit(a) && isDigit(b) ? (a - '0') * 10 + (b - '0') : -1;
    }

    /** {@code text[from, to)}, all digits (checked by the caller), as a number. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static int offsetStart(String text, int from, int to) {
        for (int i = Math.max(from, 1); i < to; i++) {
            char c = text.charAt(i);
            if (c == '+' || c == '-') {
                return i;
            }
        }
        throw new IllegalArgumentException("no time zone offset in " + text);
    }

    /** {@code text[from, length)} as {@code ±HH[[:]MM][:SS]}, as PostgreSQL prints an offset. */
    private static ZoneOffset offset(String text, int from, int length) {
        if (length - from < 3 || (text.charAt(from) != '+' && text.charAt(from) != '-')) {
            throw new IllegalArgumentException("bad offset: " + text.substring(from, length));
        }
        int sign = text.charAt(from) == '-' ? -1 : 1;
        int h = twoDigits(text, from + 1);
        int at = from + 3;
        int min = 0;
        int s = 0;
        if (at < length) {
            if (text.charAt(at) == ':') {
                at++;
            }
            min = at + 2 <= length ? twoDigits(text, at) : -1;
            at += 2;
        }
        if (at < length) {
            s = at + 3 <= length && text.charAt(at) == ':' ? twoDigits(text, at + 1) : -1;
            at += 3;
        }
        if (h < 0 || min < 0 || s < 0 || at != length) {
            throw new IllegalArgumentException("bad offset: " + text.substring(from, length));
        }
        return ZoneOffset.ofHoursMinutesSeconds(sign * h, sign * min, sign * s);
    }
}

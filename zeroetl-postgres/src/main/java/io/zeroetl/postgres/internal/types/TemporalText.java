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
    private static final Pattern DATE = Pattern.compile("(\\d{4,})-(\\d\\d)-(\\d\\d)");
    private static final Pattern TIME = Pattern.compile("(\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d{1,9}))?");
    private static final Pattern OFFSET = Pattern.compile("([+-])(\\d\\d)(?::?(\\d\\d))?(?::(\\d\\d))?");
    private static final Pattern INTERVAL_PART = Pattern.compile("(-?\\d+(?:\\.\\d+)?)([YMDHS])");

    private TemporalText() {}

    static Object date(String text) {
        Object special = infinity(text);
        if (special != null) {
            return special;
        }
        boolean bc = text.endsWith(" BC");
        Matcher m = DATE.matcher(bc ? text.substring(0, text.length() - 3) : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an ISO date: " + text);
        }
        return LocalDate.of(year(m.group(1), bc), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    static Object timestamp(String text) {
        Object special = infinity(text);
        if (special != null) {
            return special;
        }
        boolean bc = text.endsWith(" BC");
        String body = bc ? text.substring(0, text.length() - 3) : text;
        int space = body.indexOf(' ');
        LocalDate date = (LocalDate) date(body.substring(0, space) + (bc ? " BC" : ""));
        return LocalDateTime.of(date, (LocalTime) time(body.substring(space + 1)));
    }

    static Object timestampTz(String text) {
        Object special = infinity(text);
        if (special != null) {
            return special;
        }
        boolean bc = text.endsWith(" BC");
        String body = bc ? text.substring(0, text.length() - 3) : text;
        int offsetAt = offsetStart(body, body.indexOf(' ') + 1);
        LocalDateTime local = (LocalDateTime) timestamp(body.substring(0, offsetAt) + (bc ? " BC" : ""));
        return OffsetDateTime.of(local, offset(body.substring(offsetAt))).withOffsetSameInstant(ZoneOffset.UTC);
    }

    static Object time(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a time: " + text);
        }
        int hour = Integer.parseInt(m.group(1));
        int nanos = m.group(4) == null ? 0 : Integer.parseInt((m.group(4) + "00000000").substring(0, 9));
        if (hour == 24) {
            return SpecialValue.END_OF_DAY;
        }
        return LocalTime.of(hour, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), nanos);
    }

    static Object timeTz(String text) {
        int offsetAt = offsetStart(text, 0);
        Object time = time(text.substring(0, offsetAt));
        ZoneOffset offset = offset(text.substring(offsetAt));
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

    private static int year(String digits, boolean bc) {
        int year = Integer.parseInt(digits);
        return bc ? 1 - year : year;
    }

    private static int offsetStart(String text, int from) {
        for (int i = Math.max(from, 1); i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+' || c == '-') {
                return i;
            }
        }
        throw new IllegalArgumentException("no time zone offset in " + text);
    }

    private static ZoneOffset offset(String text) {
        Matcher m = OFFSET.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad offset: " + text);
        }
        int sign = m.group(1).equals("-") ? -1 : 1;
        int h = Integer.parseInt(m.group(2));
        int min = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        int s = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        return ZoneOffset.ofHoursMinutesSeconds(sign * h, sign * min, sign * s);
    }
}

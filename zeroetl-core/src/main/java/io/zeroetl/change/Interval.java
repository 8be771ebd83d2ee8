package io.zeroetl.change;

import java.math.BigDecimal;

/**
 * A time span as SQL keeps it: months, days and microseconds, each signed, not normalised into one
 * another (a month is not a fixed number of days).
 *
 * @param months whole months
 * @param days whole days
 * @param micros microseconds
 */
public record Interval(int months, int days, long micros) {
    /** ISO 8601, e.g. {@code P1Y2M3DT4H5M6.5S}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("P");
        if (months / 12 != 0) {
            sb.append(months / 12).append('Y');
        }
        if (months % 12 != 0) {
            sb.append(months % 12).append('M');
        }
        if (days != 0) {
            sb.append(days).append('D');
        }
        if (micros != 0) {
            sb.append('T');
            long hours = micros / 3_600_000_000L;
            long minutes = micros % 3_600_000_000L / 60_000_000L;
            long rest = micros % 60_000_000L;
            if (hours != 0) {
                sb.append(hours).append('H');
            }
            if (minutes != 0) {
                sb.append(minutes).append('M');
            }
            if (rest != 0) {
                sb.append(BigDecimal.valueOf(rest, 6).stripTrailingZeros().toPlainString())
                        .append('S');
            }
        }
        return sb.length() == 1 ? "PT0S" : sb.toString();
    }
}

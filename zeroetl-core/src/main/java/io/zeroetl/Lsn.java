package io.zeroetl;

/**
 * A position in the source's change log (for PostgreSQL: a WAL log sequence number), written as two
 * hexadecimal halves, {@code 16/B374D848}. Positions only grow; {@link #NONE} (zero) means "no position".
 *
 * <pre>{@code
 * Lsn lsn = Lsn.parse("16/B374D848");
 * lsn.isAfter(Lsn.NONE); // true
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the position as an unsigned 64-bit number
 */
public record Lsn(long value) implements Comparable<Lsn> {
    /** No position: before every real one. */
    public static final Lsn NONE = new Lsn(0);

    /**
     * {@return the position {@code value}}
     *
     * @param value the position as an unsigned 64-bit number
     */
    public static Lsn of(long value) {
        return value == 0 ? NONE : new Lsn(value);
    }

    /**
     * Parses {@code X/Y} with hexadecimal halves.
     *
     * @param text a position such as {@code 16/B374D848}
     * @return the position
     * @throws IllegalArgumentException when {@code text} is not of that form
     */
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not a log position (expected X/Y in hexadecimal): '" + text + "'");
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            if (high > 0xFFFF_FFFFL || low > 0xFFFF_FFFFL || high < 0 || low < 0) {
                throw new NumberFormatException("half out of range");
            }
            return of(high << 32 | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a log position (expected X/Y in hexadecimal): '" + text + "'", e);
        }
    }

    /**
     * {@return whether this position lies after {@code other}}
     *
     * @param other another position
     */
    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    /**
     * {@return whether this position lies before {@code other}}
     *
     * @param other another position
     */
    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    /**
     * {@return the later of this and {@code other}}
     *
     * @param other another position
     */
    public Lsn max(Lsn other) {
        return isBefore(other) ? other : this;
    }

    /**
     * {@return bytes from {@code earlier} to this position; zero when {@code earlier} is not before it}
     *
     * @param earlier the position to count from
     */
    public long bytesAfter(Lsn earlier) {
        return isAfter(earlier) ? value - earlier.value : 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/"
                + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase();
    }
}

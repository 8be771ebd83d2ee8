package io.zeroetl;

import java.time.Duration;
import java.util.Objects;

/**
 * How a running pipeline keeps checking its own output: in the background, table after table, it compares the
 * target with the source at one position (bucket digests computed where the rows are, then the rows of differing
 * buckets, each difference compared again at later positions before it counts, as {@link Pipeline#validate()}
 * does), and acts on what it finds with {@link #onDrift}. Only the active instance verifies, and only SYNCED tables.
 * Immutable.
 *
 * <pre>{@code
 * ZeroEtl.from(source).to(target).tables("public.orders")
 *         .verification(Verification.every(Duration.ofMinutes(5)).onDrift(DriftAction.FAIL_TABLE))
 *         .start();
 * }</pre>
 *
 * @param interval how long one pass over all tables takes at most (each table is verified once per pass, the
 *     tables spread evenly over it); zero when verification is off
 * @param action what is done about a table found to differ
 * @param rowsPerSecond the most rows per second verified on average, on each side: after a table of {@code r} rows
 *     the next waits at least {@code r / rowsPerSecond} seconds from the start of that table's verification
 */
public record Verification(Duration interval, DriftAction action, long rowsPerSecond) {
    /** The default: every table every 10 minutes, at most 2,500 rows/s per side on average, drift healed. */
    public static final Verification DEFAULT = new Verification(Duration.ofMinutes(10), DriftAction.HEAL, 2_500);

    /**
     * Checks the values.
     *
     * @param interval one pass over all tables, zero when off
     * @param action what is done about drift
     * @param rowsPerSecond the most rows verified per second on each side
     */
    public Verification {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(action, "action");
        if (interval.isNegative()) {
            throw new ZeroEtlException(
                    ErrorCode.CONFIGURATION, "verification: the interval must not be negative, got " + interval);
        }
        if (rowsPerSecond <= 0) {
            throw new ZeroEtlException(
                    ErrorCode.CONFIGURATION, "verification: rowsPerSecond must be positive, got " + rowsPerSecond);
        }
    }

    /**
     * Verifies every table once per {@code interval}, with the default action and budget.
     *
     * @param interval one pass over all tables, e.g. 10 minutes; positive
     * @return the settings
     */
    public static Verification every(Duration interval) {
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new ZeroEtlException(
                    ErrorCode.CONFIGURATION,
                    "verification: the interval must be positive, got " + interval + "; use Verification.off()"
                            + " to turn verification off");
        }
        return new Verification(interval, DEFAULT.action, DEFAULT.rowsPerSecond);
    }

    /** {@return no continuous verification} ({@link Pipeline#validate()} still works on demand) */
    public static Verification off() {
        return new Verification(Duration.ZERO, DEFAULT.action, DEFAULT.rowsPerSecond);
    }

    /**
     * What to do about drift.
     *
     * @param drift the action
     * @return a copy with that action
     */
    public Verification onDrift(DriftAction drift) {
        return new Verification(interval, drift, rowsPerSecond);
    }

    /**
     * The most rows per second verified on average, on each side.
     *
     * @param budget rows per second; positive
     * @return a copy with that budget
     */
    public Verification rowsPerSecond(long budget) {
        return new Verification(interval, action, budget);
    }

    /** {@return whether verification runs} */
    public boolean enabled() {
        return !interval.isZero();
    }
}

package io.zeroetl.internal.engine;

import io.zeroetl.ZeroEtlException;
import java.time.Duration;
import java.util.Objects;

/** The checks of the pipeline's options: each returns its value or names the option it rejects. */
public final class Options {
    private Options() {}

    /**
     * {@return {@code id}, a valid pipeline id: 1-40 lower-case letters, digits or underscores, from a letter}
     *
     * @param id the id
     */
    public static String pipelineId(String id) {
        Objects.requireNonNull(id, "pipelineId");
        if (!id.matches("[a-z][a-z0-9_]{0,39}")) {
            throw ZeroEtlException.configuration(
                    "pipelineId",
                    "'" + id + "' must be 1-40 lower-case letters, digits or underscores,"
                            + " starting with a letter (it names the replication slot)");
        }
        return id;
    }

    /**
     * {@return {@code value}, at least {@code min}}
     *
     * @param option the option, for the message
     * @param value the value
     * @param min the least value allowed
     * @param unit what it counts, for the message (e.g. "row", "bytes")
     */
    public static long atLeast(String option, long value, long min, String unit) {
        if (value < min) {
            throw ZeroEtlException.configuration(option, "must be at least " + min + " " + unit + ", got " + value);
        }
        return value;
    }

    /**
     * {@return {@code value}, between {@code min} and {@code max}}
     *
     * @param option the option, for the message
     * @param value the duration
     * @param min the shortest allowed (zero: not negative)
     * @param max the longest allowed, or null for no bound
     */
    public static Duration between(String option, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, option);
        if (value.compareTo(min) < 0 || max != null && value.compareTo(max) > 0) {
            throw ZeroEtlException.configuration(
                    option,
                    "must be "
                            + (max == null ? "at least " + words(min) : "between " + words(min) + " and " + words(max))
                            + ", got " + value);
        }
        return value;
    }

    /**
     * {@return {@code value}, positive}
     *
     * @param option the option, for the message
     * @param value the duration
     */
    public static Duration positive(String option, Duration value) {
        Objects.requireNonNull(value, option);
        if (value.isNegative() || value.isZero()) {
            throw ZeroEtlException.configuration(option, "must be positive, got " + value);
        }
        return value;
    }

    private static String words(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        return d.toHours() >= 1 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0
                ? d.toHours() + " hour" + (d.toHours() == 1 ? "" : "s")
                : d.toSeconds() + " s";
    }
}

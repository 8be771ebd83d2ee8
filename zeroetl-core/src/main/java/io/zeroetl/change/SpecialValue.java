package io.zeroetl.change;

/**
 * Values a source can hold that have no ordinary Java form: numeric NaN, infinite timestamps, dates and
 * numerics, and the end-of-day time {@code 24:00:00}. A decoder emits these instead of approximating,
 * so the target's value policy can see them for what they are.
 */
public enum SpecialValue {
    /** Not a number (PostgreSQL {@code numeric 'NaN'}). Floating-point NaN stays {@link Double#NaN}. */
    NAN,
    /** Positive infinity of a numeric, date or timestamp. Floating point uses {@link Double#POSITIVE_INFINITY}. */
    POSITIVE_INFINITY,
    /** Negative infinity of a numeric, date or timestamp. */
    NEGATIVE_INFINITY,
    /** The time {@code 24:00:00}, which {@link java.time.LocalTime} cannot hold. */
    END_OF_DAY
}

package io.zeroetl.change;

import java.util.Locale;

/**
 * What sort of value a column holds, said without any database's type names: the vocabulary a source
 * maps its types to and a target maps from. The engine reads only this (to compare values in row filters,
 * to tell text from other columns), and the columns it adds itself (metadata, delete markers, computed
 * and converted columns) have a type made of it alone ({@link ColumnType#of(ValueType)}). Each constant
 * says the Java value a row holds for it; {@link SpecialValue}s and {@link UnreadableValue}s may stand
 * for any of them.
 */
public enum ValueType {
    /** {@link Boolean}. */
    BOOLEAN,
    /** 16-bit integer: {@link Short}. */
    INT16,
    /** 32-bit integer: {@link Integer}. */
    INT32,
    /** 64-bit integer: {@link Long}. */
    INT64,
    /** Exact decimal: {@link java.math.BigDecimal}. */
    DECIMAL,
    /** 32-bit floating point: {@link Float}. */
    FLOAT32,
    /** 64-bit floating point: {@link Double}. */
    FLOAT64,
    /** Character string: {@link String}. */
    STRING,
    /** Byte string: {@code byte[]}. */
    BYTES,
    /** Calendar date: {@link java.time.LocalDate}. */
    DATE,
    /** Time of day: {@link java.time.LocalTime}. */
    TIME,
    /** Time of day with a UTC offset: {@link java.time.OffsetTime}. */
    OFFSET_TIME,
    /** Date and time without a zone: {@link java.time.LocalDateTime}. */
    DATE_TIME,
    /** A point in time: {@link java.time.OffsetDateTime}. */
    OFFSET_DATE_TIME,
    /** A duration in months, days and microseconds: {@link Interval}. */
    INTERVAL,
    /** {@link java.util.UUID}. */
    UUID,
    /** A JSON document: its text, a {@link String}. */
    JSON,
    /** Anything else: its text form, a {@link String}. */
    OTHER;

    /** {@return the name a type made of this value type alone has, e.g. {@code offset_date_time}} */
    public String typeName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

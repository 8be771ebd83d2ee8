package io.zeroetl;

/**
 * A source row by column name, for row filters and computed columns. Values are what the source's
 * decoder gives (for PostgreSQL: Integer, Long, BigDecimal, String, LocalDate, LocalDateTime,
 * OffsetDateTime, Boolean, byte[] ...), null for SQL NULL.
 */
@FunctionalInterface
public interface RowView {
    /**
     * The value of {@code column}.
     *
     * @param column the source column's name
     * @return its value (as decoded; null for NULL)
     * @throws IllegalArgumentException when the table has no such column
     */
    Object get(String column);
}

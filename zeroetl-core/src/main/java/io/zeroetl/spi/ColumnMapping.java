package io.zeroetl.spi;

/**
 * How one source column lands in the target: its target type, and how each value is converted.
 * Immutable and thread-safe.
 */
public interface ColumnMapping {
    /** {@return the target column type, e.g. {@code DECIMAL(12,2)} or {@code VARCHAR(400)}} */
    String targetType();

    /**
     * The target value for a decoded source {@code value} (never {@link io.zeroetl.change.Row#UNCHANGED};
     * null maps to null).
     *
     * @param value the decoded source value
     * @return the value to store
     * @throws UnstorableValueException when the target cannot hold the value, with the reason
     */
    Object convert(Object value);
}

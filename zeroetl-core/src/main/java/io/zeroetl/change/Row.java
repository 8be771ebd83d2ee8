package io.zeroetl.change;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The values of one row, by column position in the table's {@link TableSchema}. A value is a Java
 * object of the decoder's choice (documented by the decoder), {@code null} for SQL NULL, or
 * {@link #UNCHANGED} for a large value the source did not resend because the change did not touch it
 * (PostgreSQL's unchanged TOAST).
 *
 * <pre>{@code
 * Row row = Row.of(1, "ACME", Row.UNCHANGED);
 * row.isUnchanged(2); // true
 * }</pre>
 *
 * <p>Immutable and thread-safe (as long as the values are).
 */
public final class Row {
    /** Stands for a value the source did not send because it did not change. */
    public static final Object UNCHANGED = new Object() {
        @Override
        public String toString() {
            return "<unchanged>";
        }
    };

    private final Object[] values;

    private Row(Object[] values) {
        this.values = values;
    }

    /**
     * {@return a row of {@code values} (copied); nulls allowed}
     *
     * @param values the values, in column order
     */
    public static Row of(Object... values) {
        return new Row(values.clone());
    }

    /**
     * {@return a row of {@code values} (copied); nulls allowed}
     *
     * @param values the values, in column order
     */
    public static Row of(List<?> values) {
        return new Row(values.toArray());
    }

    /** {@return how many values the row has} */
    public int size() {
        return values.length;
    }

    /**
     * {@return the value at {@code position}: an object, null, or {@link #UNCHANGED}}
     *
     * @param position the column's position, from 0
     */
    public Object get(int position) {
        return values[position];
    }

    /**
     * {@return whether the value at {@code position} was not sent because it did not change}
     *
     * @param position the column's position, from 0
     */
    public boolean isUnchanged(int position) {
        return values[position] == UNCHANGED;
    }

    /** {@return whether any value is {@link #UNCHANGED}} */
    public boolean hasUnchanged() {
        for (Object value : values) {
            if (value == UNCHANGED) {
                return true;
            }
        }
        return false;
    }

    /** {@return the values as an unmodifiable list (which may hold nulls)} */
    public List<Object> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Row r && Arrays.deepEquals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(values);
    }
}

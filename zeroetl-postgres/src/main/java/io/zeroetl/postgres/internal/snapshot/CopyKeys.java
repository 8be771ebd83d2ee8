package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.change.Column;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A row's key as a value that compares by content: its key columns' values, in order, as decoded (streamed and
 * copied rows decode alike, so the same row's key is equal either way), a byte array as its bytes.
 */
final class CopyKeys {
    private CopyKeys() {}

    /** The positions of {@code schema}'s key columns; empty when it has none. */
    static int[] columns(TableSchema schema) {
        List<Column> columns = schema.columns();
        return java.util.stream.IntStream.range(0, columns.size())
                .filter(i -> columns.get(i).key())
                .toArray();
    }

    /** {@code row}'s key at {@code columns}, or null when a key value is not there (not sent, or unchanged). */
    static List<Object> of(Row row, int[] columns) {
        if (row == null || columns.length == 0) {
            return null;
        }
        List<Object> key = new ArrayList<>(columns.length);
        for (int column : columns) {
            if (column >= row.size()) {
                return null;
            }
            Object value = row.get(column);
            if (value == Row.UNCHANGED) {
                return null;
            }
            key.add(value instanceof byte[] bytes ? ByteBuffer.wrap(bytes.clone()) : value);
        }
        return key;
    }

    /** A row of {@code size} columns holding only {@code key} at {@code columns}: what a delete by key needs. */
    static Row row(List<Object> key, int[] columns, int size) {
        Object[] values = new Object[size];
        for (int i = 0; i < columns.length; i++) {
            Object value = key.get(i);
            values[columns[i]] =
                    value instanceof ByteBuffer bytes ? bytes.array().clone() : value;
        }
        return Row.of(values);
    }
}

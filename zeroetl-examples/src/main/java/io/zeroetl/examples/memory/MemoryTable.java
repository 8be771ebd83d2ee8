package io.zeroetl.examples.memory;

import io.zeroetl.change.Column;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table's rows in memory, each a map of column name to value. Rows are found by their key columns, or by
 * all their values when the table has no key (replica identity FULL): then equal rows are kept apart, one per
 * insert, as the source keeps them.
 */
final class MemoryTable {
    private List<String> columns = List.of();
    private List<String> keys = List.of();
    private final List<Map<String, Object>> rows;

    MemoryTable() {
        this.rows = new ArrayList<>();
    }

    private MemoryTable(MemoryTable other) {
        this.columns = other.columns;
        this.keys = other.keys;
        this.rows = new ArrayList<>();
        for (Map<String, Object> row : other.rows) {
            rows.add(new LinkedHashMap<>(row));
        }
    }

    MemoryTable copy() {
        return new MemoryTable(this);
    }

    /** Takes the columns the source has now: rows keep their values, a new column is NULL in them. */
    void describe(TableSchema schema) {
        columns = schema.columns().stream().map(Column::name).toList();
        keys = schema.keyColumns().stream().map(Column::name).toList();
    }

    void insert(Row row) {
        rows.add(values(row, null));
    }

    /** Replaces the row {@code old} names (or, when null, the one with {@code row}'s key). */
    void update(Row old, boolean oldIsKeyOnly, Row row) {
        int at = find(old != null ? old : row, old == null || oldIsKeyOnly);
        Map<String, Object> before = at < 0 ? null : rows.remove(at);
        Map<String, Object> after = values(row, before);
        if (at < 0) {
            rows.add(after);
        } else {
            rows.add(at, after);
        }
    }

    void delete(Row old, boolean oldIsKeyOnly) {
        int at = find(old, oldIsKeyOnly);
        if (at >= 0) {
            rows.remove(at);
        }
    }

    void clear() {
        rows.clear();
    }

    List<Map<String, Object>> rows() {
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> complete = new LinkedHashMap<>();
            for (String column : columns) {
                complete.put(column, row.get(column));
            }
            copy.add(Collections.unmodifiableMap(complete));
        }
        return List.copyOf(copy);
    }

    /** The row's values by column; an unchanged (TOASTed) value is taken from {@code before}. */
    private Map<String, Object> values(Row row, Map<String, Object> before) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.size() && i < row.size(); i++) {
            String column = columns.get(i);
            values.put(column, row.isUnchanged(i) ? (before == null ? null : before.get(column)) : row.get(i));
        }
        return values;
    }

    /** The index of the row {@code match} names: by the key columns, or by every value when there is no key. */
    private int find(Row match, boolean byKey) {
        List<String> by = byKey && !keys.isEmpty() ? keys : columns;
        for (int r = 0; r < rows.size(); r++) {
            boolean same = true;
            for (String column : by) {
                int i = columns.indexOf(column);
                if (i >= match.size()
                        || !match.isUnchanged(i) && !Objects.equals(rows.get(r).get(column), match.get(i))) {
                    same = false;
                    break;
                }
            }
            if (same) {
                return r;
            }
        }
        return -1;
    }
}

package io.zeroetl.examples.memory;

import io.zeroetl.change.Column;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table's rows in memory, each a map of column name to value. Rows are found by their key columns, or by
 * all their values when the table has no key (replica identity FULL): then equal rows are kept apart, one per
 * insert, as the source keeps them. The columns' roles say how changes apply: with soft-delete columns a
 * truncate marks the rows deleted; with history columns every change adds a version and closes the key's
 * active one at the new version's start (a delete closes it at its own time and adds none), and a truncate
 * closes every active version.
 */
final class MemoryTable {
    private List<String> columns = List.of();
    private List<String> keys = List.of();
    private Map<Column.Role, String> roles = Map.of();
    private final List<Map<String, Object>> rows;

    MemoryTable() {
        this.rows = new ArrayList<>();
    }

    private MemoryTable(MemoryTable other) {
        this.columns = other.columns;
        this.keys = other.keys;
        this.roles = other.roles;
        this.rows = new ArrayList<>();
        for (Map<String, Object> row : other.rows) {
            rows.add(new LinkedHashMap<>(row));
        }
    }

    MemoryTable copy() {
        return new MemoryTable(this);
    }

    /**
     * Takes the columns the source has now: rows keep the values of the columns that stay, a new column is NULL
     * in them, and a dropped column's values go (it comes back empty if added again, as at the source).
     */
    void describe(TableSchema schema) {
        columns = schema.columns().stream().map(Column::name).toList();
        keys = schema.keyColumns().stream().map(Column::name).toList();
        Map<Column.Role, String> byRole = new EnumMap<>(Column.Role.class);
        schema.columns().forEach(c -> byRole.put(c.role(), c.name()));
        roles = byRole;
        for (Map<String, Object> row : rows) {
            row.keySet().retainAll(columns);
        }
    }

    /** Columns renamed at the source ({@code renamed}: old name to new): their values stay, under the new name. */
    void rename(Map<String, String> renamed) {
        for (Map<String, Object> row : rows) {
            Map<String, Object> before = new LinkedHashMap<>(row);
            row.clear();
            before.forEach((column, value) -> row.put(renamed.getOrDefault(column, column), value));
        }
        columns = columns.stream().map(c -> renamed.getOrDefault(c, c)).toList();
        keys = keys.stream().map(c -> renamed.getOrDefault(c, c)).toList();
    }

    void insert(Row row) {
        Map<String, Object> values = values(row, null);
        if (history()) {
            close(values, values.get(roles.get(Column.Role.HISTORY_START)));
        }
        rows.add(values);
    }

    /** Replaces the row {@code old} names (or, when null, the one with {@code row}'s key). */
    void update(Row old, boolean oldIsKeyOnly, Row row) {
        if (history()) {
            insert(row);
            return;
        }
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
        if (history()) {
            Map<String, Object> key = values(old, null);
            close(key, key.get(roles.get(Column.Role.HISTORY_START)));
            return;
        }
        int at = find(old, oldIsKeyOnly);
        if (at >= 0) {
            rows.remove(at);
        }
    }

    /** A truncate at {@code time}: soft-deleted rows are marked, history versions closed, other rows go. */
    void truncate(OffsetDateTime time) {
        String deleted = roles.get(Column.Role.SOFT_DELETED);
        if (deleted != null) {
            for (Map<String, Object> row : rows) {
                if (!Boolean.TRUE.equals(row.get(deleted))) {
                    row.put(deleted, true);
                    String at = roles.get(Column.Role.SOFT_DELETED_AT);
                    if (at != null) {
                        row.put(at, time);
                    }
                }
            }
        } else if (history()) {
            String active = roles.get(Column.Role.HISTORY_ACTIVE);
            for (Map<String, Object> row : rows) {
                if (Boolean.TRUE.equals(row.get(active))) {
                    row.put(active, false);
                    row.put(roles.get(Column.Role.HISTORY_END), time);
                }
            }
        } else {
            rows.clear();
        }
    }

    private boolean history() {
        return roles.containsKey(Column.Role.HISTORY_ACTIVE);
    }

    /** Closes the active version with {@code key}'s key values at {@code time}. */
    private void close(Map<String, Object> key, Object time) {
        String active = roles.get(Column.Role.HISTORY_ACTIVE);
        String end = roles.get(Column.Role.HISTORY_END);
        for (Map<String, Object> row : rows) {
            if (Boolean.TRUE.equals(row.get(active))
                    && keys.stream().allMatch(k -> Objects.equals(row.get(k), key.get(k)))) {
                row.put(active, false);
                row.put(end, time);
            }
        }
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

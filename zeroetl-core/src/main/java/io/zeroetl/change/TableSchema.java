package io.zeroetl.change;

import io.zeroetl.TableId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The columns of a source table, in source order, and how its rows are identified.
 *
 * <p>Immutable and thread-safe.
 */
public final class TableSchema {
    /** How the source identifies the old row of an update or delete. */
    public enum ReplicaIdentity {
        /** By the primary key columns. */
        DEFAULT,
        /** By the columns of a unique index. */
        INDEX,
        /** By the whole old row. */
        FULL,
        /** Not at all: updates and deletes carry no old row. */
        NOTHING
    }

    private final TableId table;
    private final List<Column> columns;
    private final ReplicaIdentity identity;
    private final Map<String, Integer> positions;

    /**
     * A table {@code table} with {@code columns} (copied), identified by {@code identity}.
     *
     * @param table the table
     * @param columns its columns, in order
     * @param identity how its rows are identified in updates and deletes
     */
    public TableSchema(TableId table, List<Column> columns, ReplicaIdentity identity) {
        this.table = Objects.requireNonNull(table, "table");
        this.columns = List.copyOf(columns);
        this.identity = Objects.requireNonNull(identity, "identity");
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < this.columns.size(); i++) {
            byName.putIfAbsent(this.columns.get(i).name(), i);
        }
        this.positions = Map.copyOf(byName);
    }

    /** {@return the table} */
    public TableId table() {
        return table;
    }

    /** {@return the columns in source order} */
    public List<Column> columns() {
        return columns;
    }

    /** {@return the replica identity} */
    public ReplicaIdentity identity() {
        return identity;
    }

    /** {@return the key columns, in source column order; empty when the table has none} */
    public List<Column> keyColumns() {
        return columns.stream().filter(Column::key).toList();
    }

    /** {@return whether rows can be told apart by key (a key, or REPLICA IDENTITY FULL)} */
    public boolean hasKey() {
        return identity == ReplicaIdentity.FULL || columns.stream().anyMatch(Column::key);
    }

    /**
     * {@return the position of the column named {@code name}}
     *
     * @param name the column's name
     */
    public Optional<Integer> position(String name) {
        return Optional.ofNullable(positions.get(name));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TableSchema s
                && s.table.equals(table)
                && s.columns.equals(columns)
                && s.identity == identity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, columns, identity);
    }

    @Override
    public String toString() {
        return "TableSchema[" + table + " "
                + columns.stream()
                        .map(c -> c.name() + " " + c.type().name() + (c.key() ? " key" : ""))
                        .toList() + ", identity " + identity + "]";
    }
}

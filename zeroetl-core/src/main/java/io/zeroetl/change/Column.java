package io.zeroetl.change;

import java.util.Objects;

/**
 * A column of a source table, or of the table a pipeline's rules make of it.
 *
 * @param name the column name, case preserved
 * @param type its source type
 * @param key whether it is part of the table's replica identity (normally the primary key)
 * @param nullable whether it may hold NULL (true when the source does not say)
 * @param role what the column holds: the source's data, or a column the pipeline's rules added (history
 *     and soft-delete marks, metadata). A target decides how to apply a table from the roles of its
 *     columns, never from their names, so a user column named like one of these is only data.
 */
public record Column(String name, ColumnType type, boolean key, boolean nullable, Role role) {
    /** What a column holds. */
    public enum Role {
        /** Data: a source column, a computed or converted one. */
        DATA,
        /** History mode: whether this version is the current one. */
        HISTORY_ACTIVE,
        /** History mode: when this version was created (the source commit time). */
        HISTORY_START,
        /** History mode: when this version was closed by the next change, null while active. */
        HISTORY_END,
        /** Soft deletes: whether the source row was deleted. */
        SOFT_DELETED,
        /** Soft deletes: when the source row was deleted. */
        SOFT_DELETED_AT,
        /** Metadata: when the change was applied. */
        APPLIED_AT,
        /** Metadata: the source commit position of the change. */
        COMMIT_POSITION
    }

    /**
     * Checks that nothing is null.
     *
     * @param name the column name, case preserved
     * @param type its source type
     * @param key whether it is part of the table's replica identity (normally the primary key)
     * @param nullable whether it may hold NULL (true when the source does not say)
     * @param role what the column holds: the source's data, or a column the pipeline's rules added (history and
     *     soft-delete marks, metadata). A target decides how to apply a table from the roles of its columns, never
     *     from their names, so a user column named like one of these is only data.
     */
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
    }

    /**
     * A data column.
     *
     * @param name the column name, case preserved
     * @param type its source type
     * @param key whether it is part of the table's replica identity (normally the primary key)
     * @param nullable whether it may hold NULL (true when the source does not say)
     */
    public Column(String name, ColumnType type, boolean key, boolean nullable) {
        this(name, type, key, nullable, Role.DATA);
    }

    /**
     * {@return this column under another name, with the same type, key flag and role}
     *
     * @param other the other name
     */
    public Column named(String other) {
        return new Column(other, type, key, nullable, role);
    }
}

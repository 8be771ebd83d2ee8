package io.zeroetl.change;

import io.zeroetl.TableId;
import java.util.Map;
import java.util.Objects;

/**
 * A DDL statement changed a table, reported at its place in the transaction that ran it.
 *
 * @param table the table (after a rename: its new name)
 * @param commandTag the DDL command, e.g. {@code ALTER TABLE}, {@code CREATE TABLE}, {@code DROP TABLE}
 * @param statement the DDL text as the source ran it, or empty when not known
 * @param after the table's columns after the change; empty column list for a dropped table
 * @param renamedColumns columns the change renamed, old name to new name (copied)
 * @param renamedFrom the table's name before the change, when the change renamed it (or moved it to
 *     another schema); null otherwise
 * @param recopy null when the target can follow the change exactly; otherwise why it cannot — existing
 *     rows got values the change stream never carries (a column added with a default), or the source
 *     could not describe the change — and the table must be copied again
 * @param kind whether the change created the table (a new table, whatever had that name before), dropped it,
 *     or altered it
 */
public record SchemaChangeEvent(
        TableId table,
        String commandTag,
        String statement,
        TableSchema after,
        Map<String, String> renamedColumns,
        TableId renamedFrom,
        String recopy,
        Kind kind)
        implements ChangeEvent, TableEvent {
    /** What the change did to the table as a whole. */
    public enum Kind {
        /** A new table: created under this name, whatever had the name before. */
        CREATED,
        /** The table changed (or was renamed). */
        ALTERED,
        /** The table is gone. */
        DROPPED
    }

    /**
     * Checks that nothing is null and copies the renames.
     *
     * @param table the table (after a rename: its new name)
     * @param commandTag the DDL command, e.g. {@code ALTER TABLE}, {@code CREATE TABLE}, {@code DROP TABLE}
     * @param statement the DDL text as the source ran it, or empty when not known
     * @param after the table's columns after the change; empty column list for a dropped table
     * @param renamedColumns columns the change renamed, old name to new name (copied)
     * @param renamedFrom the table's name before the change, when the change renamed it (or moved it to another
     *     schema); null otherwise
     * @param recopy null when the target can follow the change exactly; otherwise why it cannot — existing rows got
     *     values the change stream never carries (a column added with a default), or the source could not describe
     *     the change — and the table must be copied again
     * @param kind whether the change created the table (a new table, whatever had that name before), dropped it, or
     *     altered it
     */
    public SchemaChangeEvent {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(commandTag, "commandTag");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(kind, "kind");
        renamedColumns = Map.copyOf(renamedColumns);
    }

    /**
     * A change that did not create the table: it dropped it when {@code after} has no columns, else altered it.
     *
     * @param table the table (after a rename: its new name)
     * @param commandTag the DDL command, e.g. {@code ALTER TABLE}, {@code CREATE TABLE}, {@code DROP TABLE}
     * @param statement the DDL text as the source ran it, or empty when not known
     * @param after the table's columns after the change; empty column list for a dropped table
     * @param renamedColumns columns the change renamed, old name to new name (copied)
     * @param renamedFrom the table's name before the change, when the change renamed it; null otherwise
     * @param recopy null when the target can follow the change exactly; otherwise why the table must be copied again
     */
    public SchemaChangeEvent(
            TableId table,
            String commandTag,
            String statement,
            TableSchema after,
            Map<String, String> renamedColumns,
            TableId renamedFrom,
            String recopy) {
        this(
                table,
                commandTag,
                statement,
                after,
                renamedColumns,
                renamedFrom,
                recopy,
                after.columns().isEmpty() ? Kind.DROPPED : Kind.ALTERED);
    }

    /**
     * A change that did not rename the table and that the target can follow.
     *
     * @param table the table (after a rename: its new name)
     * @param commandTag the DDL command, e.g. {@code ALTER TABLE}, {@code CREATE TABLE}, {@code DROP TABLE}
     * @param statement the DDL text as the source ran it, or empty when not known
     * @param after the table's columns after the change; empty column list for a dropped table
     * @param renamedColumns columns the change renamed, old name to new name (copied)
     */
    public SchemaChangeEvent(
            TableId table, String commandTag, String statement, TableSchema after, Map<String, String> renamedColumns) {
        this(table, commandTag, statement, after, renamedColumns, null, null);
    }

    @Override
    public int estimatedBytes() {
        return 256 + statement.length() * 2 + 64 * after.columns().size();
    }
}

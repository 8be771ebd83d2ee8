package io.zeroetl.change;

import io.zeroetl.TableId;
import java.util.Objects;

/**
 * The source describes a table's current columns; it comes before the first row change or truncate of the
 * table in a session (a new applier's first batch included) and again after the table's columns change.
 *
 * @param schema the table's columns and identity
 */
public record RelationEvent(TableSchema schema) implements ChangeEvent, TableEvent {
    /**
     * Checks the schema.
     *
     * @param schema the table's columns and identity
     */
    public RelationEvent {
        Objects.requireNonNull(schema, "schema");
    }

    @Override
    public TableId table() {
        return schema.table();
    }

    @Override
    public int estimatedBytes() {
        return 128 + 64 * schema.columns().size();
    }
}

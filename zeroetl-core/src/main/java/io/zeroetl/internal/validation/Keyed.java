package io.zeroetl.internal.validation;

import io.zeroetl.change.Column;
import io.zeroetl.change.TableSchema;
import java.util.List;

/** How validation finds rows on both sides: by the table's key, or by all its columns when it has none. */
final class Keyed {
    private Keyed() {}

    /** The schema with a key to match rows by: its key, or all columns under REPLICA IDENTITY FULL; else null. */
    static TableSchema keyed(TableSchema schema) {
        if (!schema.keyColumns().isEmpty()) {
            return schema;
        }
        if (schema.identity() != TableSchema.ReplicaIdentity.FULL) {
            return null;
        }
        List<Column> all = schema.columns().stream()
                .map(c -> new Column(c.name(), c.type(), true, c.nullable()))
                .toList();
        return new TableSchema(schema.table(), all, schema.identity());
    }
}

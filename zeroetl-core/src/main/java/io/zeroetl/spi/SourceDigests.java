package io.zeroetl.spi;

import io.zeroetl.TableId;
import io.zeroetl.change.TableSchema;
import java.util.Optional;

/** The source's side of a validation: {@link RowDigests} plus the tables' current schemas. */
public interface SourceDigests extends RowDigests {
    /**
     * {@return the table's columns and key as of the current snapshot; empty when it does not exist}
     *
     * @param table the table
     */
    Optional<TableSchema> schema(TableId table);
}

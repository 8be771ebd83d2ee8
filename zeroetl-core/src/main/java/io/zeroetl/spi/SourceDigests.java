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

    /**
     * Whether a pipeline with this id is reading the source now, when the source can tell (e.g. its replication
     * slot is in use): validation, which compares both sides at one position, then fails at once for a pipeline
     * that is not running instead of waiting for a target that will not move. Empty by default: cannot tell.
     *
     * @param pipelineId the pipeline's id
     * @return whether it is reading, or empty
     */
    default Optional<Boolean> reading(String pipelineId) {
        return Optional.empty();
    }
}

package io.zeroetl.spi;

import io.zeroetl.TableId;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link ChangeApplier} is told when the pipeline starts.
 *
 * @param pipelineId the pipeline's id, under which the applier keeps the committed position
 * @param tables the tables replicated (copied)
 */
public record ApplierContext(String pipelineId, Set<TableId> tables) {
    /** Checks and copies. */
    public ApplierContext {
        Objects.requireNonNull(pipelineId, "pipelineId");
        tables = Set.copyOf(tables);
    }
}

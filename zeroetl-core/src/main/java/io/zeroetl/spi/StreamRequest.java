package io.zeroetl.spi;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import java.util.Objects;
import java.util.Set;

/**
 * What the engine asks of a {@link WalReader} when it opens the stream.
 *
 * @param pipelineId the pipeline's id, which names its source-side objects (slot, publication)
 * @param tables the tables to replicate (copied)
 * @param resumeAfter the last position the target has committed; {@link Lsn#NONE} on the very first start
 */
public record StreamRequest(String pipelineId, Set<TableId> tables, Lsn resumeAfter) {
    /**
     * Checks and copies.
     *
     * @param pipelineId the pipeline's id, which names its source-side objects (slot, publication)
     * @param tables the tables to replicate (copied)
     * @param resumeAfter the last position the target has committed; {@link Lsn#NONE} on the very first start
     */
    public StreamRequest {
        Objects.requireNonNull(pipelineId, "pipelineId");
        tables = Set.copyOf(tables);
        Objects.requireNonNull(resumeAfter, "resumeAfter");
    }
}

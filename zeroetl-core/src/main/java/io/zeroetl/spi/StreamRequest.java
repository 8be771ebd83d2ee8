package io.zeroetl.spi;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the engine asks of a {@link WalReader} when it opens the stream.
 *
 * @param pipelineId the pipeline's id, which names its source-side objects (slot, publication)
 * @param tables the tables to replicate (copied)
 * @param resumeAfter the last position the target has committed; {@link Lsn#NONE} on the very first start
 * @param copyProgress the copies the target holds in part, with the progress the reader recorded in the last
 *     committed part of each ({@link io.zeroetl.change.SnapshotEvent#progress}): the reader resumes them, or
 *     copies them again whole where it cannot
 */
public record StreamRequest(
        String pipelineId, Set<TableId> tables, Lsn resumeAfter, Map<TableId, String> copyProgress) {
    /**
     * Checks and copies.
     *
     * @param pipelineId the pipeline's id, which names its source-side objects (slot, publication)
     * @param tables the tables to replicate (copied)
     * @param resumeAfter the last position the target has committed; {@link Lsn#NONE} on the very first start
     * @param copyProgress the copies the target holds in part, with their recorded progress
     */
    public StreamRequest {
        Objects.requireNonNull(pipelineId, "pipelineId");
        tables = Set.copyOf(tables);
        Objects.requireNonNull(resumeAfter, "resumeAfter");
        copyProgress = Map.copyOf(copyProgress);
    }

    /**
     * A request with no copy in part to resume.
     *
     * @param pipelineId the pipeline's id, which names its source-side objects (slot, publication)
     * @param tables the tables to replicate (copied)
     * @param resumeAfter the last position the target has committed; {@link Lsn#NONE} on the very first start
     */
    public StreamRequest(String pipelineId, Set<TableId> tables, Lsn resumeAfter) {
        this(pipelineId, tables, resumeAfter, Map.of());
    }
}

package io.zeroetl.spi;

import io.zeroetl.TableId;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What a {@link ChangeApplier} is told when the pipeline starts.
 *
 * <p>Events reach the applier under their <em>target</em> table ids (after {@code targetName} and naming
 * rules); settings a host gives per table are keyed by <em>source</em> table. {@link #sourceOf} maps one to
 * the other, so an applier resolves a renamed table's settings by the name the user wrote.
 *
 * @param pipelineId the pipeline's id, under which the applier keeps the committed position
 * @param tables the source tables replicated (copied)
 * @param sourceOf the source table whose changes arrive under a target table id; the identity when no rule
 *     renames tables
 */
public record ApplierContext(String pipelineId, Set<TableId> tables, UnaryOperator<TableId> sourceOf) {
    /**
     * Checks and copies.
     *
     * @param pipelineId the pipeline's id, under which the applier keeps the committed position
     * @param tables the source tables replicated (copied)
     * @param sourceOf the source table whose changes arrive under a target table id; the identity when no rule
     *     renames tables
     */
    public ApplierContext {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(sourceOf, "sourceOf");
        tables = Set.copyOf(tables);
    }

    /**
     * A context where target tables are named as their sources.
     *
     * @param pipelineId the pipeline's id
     * @param tables the tables replicated
     */
    public ApplierContext(String pipelineId, Set<TableId> tables) {
        this(pipelineId, tables, UnaryOperator.identity());
    }

    /**
     * The source table of {@code target}.
     *
     * @param target a table id as events carry it
     * @return the source table id the host's per-table settings use
     */
    public TableId sourceTable(TableId target) {
        return sourceOf.apply(target);
    }
}

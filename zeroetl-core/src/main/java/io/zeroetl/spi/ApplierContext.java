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
 * the other, so an applier resolves a renamed table's settings by the name the user wrote. A table renamed at the
 * source and followed keeps the settings of the name it was first replicated under ({@link #firstNameOf}) unless
 * settings name its new name: see {@link #settingsName}.
 *
 * @param pipelineId the pipeline's id, under which the applier keeps the committed position
 * @param tables the source tables replicated (copied)
 * @param sourceOf the source table whose changes arrive under a target table id; the identity when no rule
 *     renames tables
 * @param firstNameOf the name a source table was first replicated under (renamed at the source since, and
 *     followed); the identity for a table never renamed
 */
public record ApplierContext(
        String pipelineId, Set<TableId> tables, UnaryOperator<TableId> sourceOf, UnaryOperator<TableId> firstNameOf) {
    /**
     * Checks and copies.
     *
     * @param pipelineId the pipeline's id, under which the applier keeps the committed position
     * @param tables the source tables replicated (copied)
     * @param sourceOf the source table whose changes arrive under a target table id; the identity when no rule
     *     renames tables
     * @param firstNameOf the name a source table was first replicated under; the identity for one never renamed
     */
    public ApplierContext {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(sourceOf, "sourceOf");
        Objects.requireNonNull(firstNameOf, "firstNameOf");
        tables = Set.copyOf(tables);
    }

    /**
     * A context where no table was renamed at the source.
     *
     * @param pipelineId the pipeline's id
     * @param tables the tables replicated
     * @param sourceOf the source table whose changes arrive under a target table id
     */
    public ApplierContext(String pipelineId, Set<TableId> tables, UnaryOperator<TableId> sourceOf) {
        this(pipelineId, tables, sourceOf, UnaryOperator.identity());
    }

    /**
     * A context where target tables are named as their sources.
     *
     * @param pipelineId the pipeline's id
     * @param tables the tables replicated
     */
    public ApplierContext(String pipelineId, Set<TableId> tables) {
        this(pipelineId, tables, UnaryOperator.identity(), UnaryOperator.identity());
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

    /**
     * The name to look {@code target}'s per-table settings up by, among the names in {@code named}: its source
     * table's own name when named there, else the name that table was first replicated under.
     *
     * @param target a table id as events carry it
     * @param named the source tables the host's settings name
     * @return the source table id to look the settings up by
     */
    public TableId settingsName(TableId target, Set<TableId> named) {
        TableId source = sourceOf.apply(target);
        return named.contains(source) ? source : firstNameOf.apply(source);
    }
}

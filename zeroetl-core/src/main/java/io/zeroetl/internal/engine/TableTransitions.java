package io.zeroetl.internal.engine;

import io.zeroetl.PipelineState;
import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.spi.ChangeApplier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an opened stream and a committed batch mean for each table's state and the pipeline's: the one
 * place where tables move between PENDING, SNAPSHOTTING, SYNCED, RESYNCING, FAILED and DROPPED as the
 * source reports them. The applier names tables by their target ids (after targetName and the naming rules),
 * the engine by their source ids: what the applier reports crosses to source ids here, and nowhere else.
 */
final class TableTransitions {
    private static final Logger LOG = LoggerFactory.getLogger(TableTransitions.class);

    private final String pipelineId;
    private final TableRegistry tables;
    private final Lifecycle lifecycle;
    private final Consumer<TableId> requestCopy;
    private final UnaryOperator<TableId> sourceOf;
    /** Told each rename followed (old name, new name), once its batch committed. */
    private final BiConsumer<TableId, TableId> renamed;
    /** Whether the selection takes a table (by name or pattern). */
    private final Predicate<TableId> selects;
    /** The partitions among some tables, with their ancestors (see {@link io.zeroetl.Source#partitionAncestors}). */
    private final Function<Set<TableId>, Map<TableId, List<TableId>>> partitionAncestors;

    private final Set<TableId> vanished = new HashSet<>();
    /** The copies the target holds in part, with the progress their last committed part recorded (source ids). */
    private final Map<TableId, String> copyProgress = new HashMap<>();

    TableTransitions(
            String pipelineId,
            TableRegistry tables,
            Lifecycle lifecycle,
            Consumer<TableId> requestCopy,
            UnaryOperator<TableId> sourceOf) {
        this(pipelineId, tables, lifecycle, requestCopy, sourceOf, (from, to) -> {}, t -> false, t -> Map.of());
    }

    TableTransitions(
            String pipelineId,
            TableRegistry tables,
            Lifecycle lifecycle,
            Consumer<TableId> requestCopy,
            UnaryOperator<TableId> sourceOf,
            BiConsumer<TableId, TableId> renamed,
            Predicate<TableId> selects,
            Function<Set<TableId>, Map<TableId, List<TableId>>> partitionAncestors) {
        this.renamed = renamed;
        this.selects = selects;
        this.partitionAncestors = partitionAncestors;
        this.pipelineId = pipelineId;
        this.tables = tables;
        this.lifecycle = lifecycle;
        this.requestCopy = requestCopy;
        this.sourceOf = sourceOf;
    }

    /**
     * An instance starts applying: the tables the target recorded FAILED or DROPPED (maybe by another instance)
     * stay so, and the source is not asked for them; when {@code resuming}, a selected table without a committed
     * copy in the target is copied. {@return the source tables the target holds anything of (a state, a copy)}
     */
    Set<TableId> restore(ChangeApplier applier, boolean resuming, Set<TableId> selected) {
        Set<TableId> recorded = new HashSet<>();
        applier.failedTables().forEach((target, reason) -> {
            TableId table = sourceOf.apply(target);
            recorded.add(table);
            if (tables.accepts(table)) {
                tables.set(table, TableState.FAILED, reason);
            }
        });
        for (TableId target : applier.droppedTables()) {
            TableId table = sourceOf.apply(target);
            recorded.add(table);
            if (tables.accepts(table)) {
                tables.set(table, TableState.DROPPED, "dropped at the source");
            }
        }
        synchronized (copyProgress) {
            copyProgress.clear();
        }
        if (resuming) {
            Set<TableId> resumed = new HashSet<>();
            applier.copyProgress().forEach((target, progress) -> {
                TableId table = sourceOf.apply(target);
                if (tables.accepts(table) && selected.contains(table)) {
                    // the source resumes it where its last committed part left it
                    resumed.add(table);
                    synchronized (copyProgress) {
                        copyProgress.put(table, progress);
                    }
                    tables.set(table, TableState.SNAPSHOTTING, null);
                }
            });
            applier.copiedTables().ifPresent(copied -> {
                Set<TableId> held = new HashSet<>(sources(copied));
                held.addAll(resumed);
                recorded.addAll(held);
                copyUncopied(held, selected);
                vanished(held, selected);
            });
        }
        return recorded;
    }

    /**
     * The tables the target holds a copy of that the selection would still take but that the source no longer
     * lists (dropped, or renamed, while the pipeline did not stream — a rename it did not see is not followed):
     * known again, so that the stream, finding them gone, ends them DROPPED rather than leaving their target
     * tables looking current. A table that is now a partition of a selected table is part of it instead.
     */
    private void vanished(Set<TableId> held, Set<TableId> selected) {
        Set<TableId> gone = new HashSet<>();
        for (TableId table : held) {
            if (!selected.contains(table) && selects.test(table) && !tables.knows(table)) {
                gone.add(table);
            }
        }
        gone.removeAll(partitionAncestors.apply(gone).keySet());
        for (TableId table : gone) {
            tables.join(table, TableState.SYNCED);
        }
        synchronized (copyProgress) {
            vanished.clear();
            vanished.addAll(gone);
        }
    }

    /** Tables found {@link #vanished} at the last restore: the stream is asked for them, to say they are gone. */
    Set<TableId> vanished() {
        synchronized (copyProgress) {
            return Set.copyOf(vanished);
        }
    }

    /** The copies the target holds in part, by source id, with their progress: what a stream opened now resumes. */
    Map<TableId, String> copyProgress() {
        synchronized (copyProgress) {
            return Map.copyOf(copyProgress);
        }
    }

    private Set<TableId> sources(Set<TableId> targets) {
        Set<TableId> sources = new HashSet<>();
        targets.forEach(target -> sources.add(sourceOf.apply(target)));
        return sources;
    }

    /** The stream {@code opened} is open: the tables it cannot deliver fail, the others copy or stream. */
    void opened(ReaderLoop opened) {
        opened.notes().forEach(tables::note);
        for (TableId copying : opened.copiesPending()) {
            // newly selected on a resumed stream: nothing of it is in the target until its copy commits
            if (tables.stateOf(copying) == TableState.PENDING) {
                tables.set(copying, TableState.SNAPSHOTTING, null);
            }
        }
        opened.unavailableTables().forEach((table, reason) -> {
            if (tables.accepts(table)) {
                tables.set(table, TableState.FAILED, reason);
            }
        });
        boolean resumedCopy;
        synchronized (copyProgress) {
            resumedCopy = !copyProgress.isEmpty();
        }
        if (opened.snapshotting()) {
            if (lifecycle.moveTo(PipelineState.SNAPSHOTTING)) {
                tables.setAll(TableState.SNAPSHOTTING);
            }
        } else {
            tables.settlePending(TableState.SYNCED);
            // an initial copy cut off and resumed by this stream: the pipeline is still copying until it ends
            lifecycle.moveTo(resumedCopy ? PipelineState.SNAPSHOTTING : PipelineState.STREAMING);
        }
    }

    /**
     * The batch {@code batch} tells of committed: tables renamed away or dropped at the source stop, created ones join
     * and are copied, those a schema change cannot follow exactly are copied again, copied ones are SYNCED.
     * {@code copyRequests} are the copies still asked for (a copied table leaves it).
     */
    void committed(BatchTables batch, Set<TableId> copyRequests) {
        for (var rename : batch.followed()) {
            LOG.info(
                    "Pipeline {}: {} was renamed at the source to {}: followed",
                    pipelineId,
                    rename.getKey(),
                    rename.getValue());
            tables.rename(rename.getKey(), rename.getValue());
            renamed.accept(rename.getKey(), rename.getValue());
            synchronized (copyProgress) {
                String progress = copyProgress.remove(rename.getKey());
                if (progress != null) {
                    copyProgress.put(rename.getValue(), progress);
                }
            }
        }
        for (TableId table : batch.dropped()) {
            tables.set(table, TableState.DROPPED, "dropped at the source");
        }
        batch.renamedAway()
                .forEach((from, to) -> tables.set(
                        from,
                        batch.dropped().contains(from) ? TableState.DROPPED : TableState.FAILED,
                        batch.dropped().contains(from)
                                ? "renamed at the source to " + to + ", a name the selection does not take; select it"
                                        + " to replicate it (copied afresh)"
                                : "renamed at the source to " + to + ", which is selected too and replicated as a table"
                                        + " of its own from here (copied afresh, as the rename cannot be followed: "
                                        + batch.refusal(from) + "); " + from
                                        + " keeps its rows in the target and gets no more changes"));
        for (TableId table : batch.created()) {
            LOG.info("Pipeline {}: {} was created at the source and is selected: copying it", pipelineId, table);
            tables.join(table, TableState.SNAPSHOTTING);
            requestCopy.accept(table);
        }
        for (var refilled : batch.refilled().entrySet()) {
            TableId table = refilled.getKey();
            if (tables.accepts(table)) {
                LOG.warn(
                        "Pipeline {}: {} cannot follow a schema change exactly ({}): copying the table again",
                        pipelineId,
                        table,
                        refilled.getValue());
                if (tables.stateOf(table) != TableState.SNAPSHOTTING || !copyRequests.contains(table)) {
                    tables.set(table, TableState.RESYNCING, null);
                }
                // a table still awaiting its first copy stays SNAPSHOTTING: its changes keep waiting for a copy
                // (RESYNCING would let them reach a target that does not hold its rows yet)
                requestCopy.accept(table);
            }
        }
        for (TableId copied : batch.copied()) {
            copyRequests.remove(copied);
            tables.set(copied, TableState.SYNCED, null);
        }
        boolean partsLeft;
        synchronized (copyProgress) {
            batch.copied().forEach(copyProgress::remove);
            copyProgress.putAll(batch.progress());
            partsLeft = !copyProgress.isEmpty();
        }
        if (batch.committedSnapshot() && !partsLeft) {
            // the initial copy is whole (no part of it left): a table it held no rows of (or none it could describe) is
            // in the
            // target as it was, and streams from here; only copies requested apart are still to come
            tables.settle(TableState.SNAPSHOTTING, TableState.SYNCED, Set.copyOf(copyRequests));
            lifecycle.moveTo(PipelineState.STREAMING);
        }
    }

    /**
     * Copies the selected tables whose copy the target never committed ({@code copied}, target ids): a table
     * that joined while running (created, or newly selected) whose copy was cut off by a stop or a crash is
     * in the publication but has none of its earlier rows in the target.
     */
    private void copyUncopied(Set<TableId> copied, Set<TableId> selected) {
        for (TableId table : selected) {
            if (!copied.contains(table) && tables.accepts(table)) {
                LOG.info(
                        "Pipeline {}: {} has no committed copy in the target (a copy was cut off): copying it",
                        pipelineId,
                        table);
                tables.set(table, TableState.SNAPSHOTTING, null);
                requestCopy.accept(table);
            }
        }
    }

    /** Marks the tables {@code failed} names FAILED; false when none of them was still going. */
    boolean failed(TableFailedException failed) {
        boolean any = false;
        for (var entry : failed.reasons().entrySet()) {
            TableId table = sourceOf.apply(entry.getKey());
            if (tables.accepts(table)) {
                tables.set(table, TableState.FAILED, entry.getValue());
                any = true;
            }
        }
        return any;
    }
}

package io.zeroetl.internal.engine;

import io.zeroetl.TableId;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.internal.transform.FirstNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * What one batch means for the tables, apart from where it starts and ends: which events concern a
 * replicated table (the others are dropped), which tables the source created (and that join), dropped or
 * renamed away, which copies it holds whole, which tables a schema change leaves to be copied again (as the
 * source says on the event), and the row changes per table. Read once per event, in order, by
 * {@link BatchCursor}; its results are for {@link TableTransitions} once the batch committed.
 */
final class BatchTables {
    private final Predicate<TableId> accepted;
    private final Predicate<TableId> awaitingCopy;
    private final Predicate<SchemaChangeEvent> joins;
    /** Tables whose copy began in this batch: what follows it applies on top of it. */
    private final Set<TableId> copyStarted = new HashSet<>();

    private final CopyProgress copy;
    private final Map<TableId, TableId> renamedAway = new TreeMap<>();
    /** Renames followed in this batch, in order: old name to new name. */
    private final List<Map.Entry<TableId, TableId>> followed = new ArrayList<>();
    /** What the batch did to the names of tables, in order (read by other threads: see {@link FirstNames}). */
    private final List<FirstNames.Step> steps = new CopyOnWriteArrayList<>();
    /** Replicated tables that carry a new name since a rename followed in this batch, and the names they left. */
    private final Set<TableId> renamedIn = new HashSet<>();

    private final Set<TableId> renamedOut = new HashSet<>();
    /** Why the rename of a table (old name, new name) to a selected name is not followed; null when it is. */
    private final BiFunction<TableId, TableId, String> refusal;

    private final Map<TableId, String> refusals = new HashMap<>();
    private final Set<TableId> created = new TreeSet<>();
    private final Set<TableId> dropped = new TreeSet<>();
    private final Set<TableId> copiedInTransaction = new HashSet<>();
    private final Set<TableId> copied = new HashSet<>();
    private final Map<TableId, String> refilled = new TreeMap<>();
    private final Map<TableId, String> progressInTransaction = new HashMap<>();
    private final Map<TableId, String> progress = new HashMap<>();
    private final Map<TableId, RowCounts> counts = new TreeMap<>();
    private boolean inSnapshot;
    private boolean snapshotCommitted;

    /**
     * Tables {@code accepted} are replicated; a schema change of a table that is not (or no longer) replicated
     * makes it join when {@code joins} says so; copy events report to {@code copy}.
     */
    BatchTables(Predicate<TableId> accepted, Predicate<SchemaChangeEvent> joins, CopyProgress copy) {
        this(accepted, t -> false, joins, (from, to) -> "not followed", copy);
    }

    /**
     * As above; the row changes of a table {@code awaitingCopy} says waits for its first copy are dropped until
     * that copy begins: the copy's snapshot holds every transaction that commits before its place in the
     * stream, and the target holds nothing of the table to apply them to (an unchanged TOAST value in one
     * would find no earlier version to take its value from).
     */
    BatchTables(
            Predicate<TableId> accepted,
            Predicate<TableId> awaitingCopy,
            Predicate<SchemaChangeEvent> joins,
            BiFunction<TableId, TableId, String> refusal,
            CopyProgress copy) {
        this.refusal = refusal;
        this.accepted = accepted;
        this.awaitingCopy = awaitingCopy;
        this.joins = joins;
        this.copy = copy;
    }

    /** {@return {@code event} as the applier gets it (a TRUNCATE narrowed to replicated tables), or null to drop it} */
    ChangeEvent keep(ChangeEvent event) {
        if (event instanceof SchemaChangeEvent change) {
            return keep(change);
        }
        if (event instanceof SnapshotEvent snapshot && snapshot.phase() != SnapshotEvent.Phase.FINISHED) {
            // a copy's start, or a part of one that began in an earlier batch
            copyStarted.add(snapshot.table());
        }
        if (event instanceof RowChange change && beforeItsCopy(change.table())) {
            return null;
        }
        if (event instanceof TableEvent e) {
            return accepts(e.table()) && !(dropped.contains(e.table()) && !created.contains(e.table())) ? event : null;
        }
        if (event instanceof TruncateEvent truncate) {
            List<TableId> kept = truncate.tables().stream()
                    .filter(this::accepts)
                    .filter(t -> !beforeItsCopy(t))
                    .toList();
            if (kept.isEmpty()) {
                return null;
            }
            return kept.size() == truncate.tables().size()
                    ? event
                    : new TruncateEvent(kept, truncate.cascade(), truncate.restartIdentity());
        }
        return event;
    }

    private static <V> void moveKey(Map<TableId, V> map, TableId from, TableId to) {
        if (map.containsKey(from)) {
            map.put(to, map.remove(from));
        }
    }

    /** Whether {@code table}'s changes are applied, under the names renames in this batch gave. */
    private boolean accepts(TableId table) {
        return renamedIn.contains(table) || accepted.test(table) && !renamedOut.contains(table);
    }

    private ChangeEvent keep(SchemaChangeEvent change) {
        TableId table = change.table();
        TableId from = change.renamedFrom();
        boolean leaves = from != null && !from.equals(table) && accepts(from) && !accepts(table);
        String refused = leaves ? refusal.apply(from, table) : null;
        if (leaves && refused == null) {
            // renamed (or moved, or its schema renamed) to a name the selection takes: followed, rows kept
            followed.add(Map.entry(from, table));
            steps.add(new FirstNames.Step(from, table));
            renamedOut.add(from);
            renamedIn.remove(from);
            renamedIn.add(table);
            renamedOut.remove(table);
            // what the batch holds of the table so far (a copy asked for, its progress, its counts) goes with it
            for (Set<TableId> set : List.of(copyStarted, copiedInTransaction, copied)) {
                if (set.remove(from)) {
                    set.add(table);
                }
            }
            moveKey(refilled, from, table);
            moveKey(progressInTransaction, from, table);
            moveKey(progress, from, table);
            moveKey(counts, from, table);
            return change;
        }
        if (leaves && !joins.test(change)) {
            // renamed to a name the selection does not take: as if dropped (the target table kept or dropped as
            // a drop would leave it)
            renamedAway.put(from, table);
            steps.add(new FirstNames.Step(from, null));
            dropped.add(from);
            created.remove(from);
            return new SchemaChangeEvent(
                    from,
                    change.commandTag(),
                    change.statement(),
                    new TableSchema(from, List.of(), change.after().identity()),
                    Map.of(),
                    null,
                    null,
                    SchemaChangeEvent.Kind.DROPPED);
        }
        if (leaves) {
            // renamed (or moved) to a name not replicated yet: the old name gets nothing more
            renamedAway.put(from, table);
            refusals.put(from, refused);
            steps.add(new FirstNames.Step(from, null));
        }
        if ((!accepts(table) || dropped.contains(table)) && joins.test(change)) {
            // created (or created again, or renamed into the selection) at the source and selected: it joins once
            // this batch commits
            created.add(table);
            dropped.remove(table);
            steps.add(new FirstNames.Step(null, table));
            return null;
        }
        if (creates(change) && accepts(table) && !created.contains(table)) {
            // a new table took the name of a replicated one (renamed or moved away, its schema renamed): its rows
            // replace the old table's once this batch commits — never the old rows under the new table's name
            created.add(table);
            steps.add(new FirstNames.Step(null, table));
            return null;
        }
        if (change.after().columns().isEmpty() && created.contains(table) && !accepts(table)) {
            // created and dropped again before it could join: it never was
            created.remove(table);
            return null;
        }
        if (change.after().columns().isEmpty() && accepts(table)) {
            dropped.add(table);
            steps.add(new FirstNames.Step(table, null));
            created.remove(table);
            return change;
        }
        if (leaves) {
            return null;
        }
        if (!accepts(table)) {
            return null;
        }
        // a rename not followed here (the old name is not replicated: e.g. renamed while the pipeline was down, its
        // new name selected and copied afresh) renames nothing in the target
        return from == null || from.equals(table) ? change : unrenamed(change);
    }

    private static SchemaChangeEvent unrenamed(SchemaChangeEvent change) {
        return new SchemaChangeEvent(
                change.table(),
                change.commandTag(),
                change.statement(),
                change.after(),
                change.renamedColumns(),
                null,
                change.recopy(),
                change.kind());
    }

    /** Whether {@code table} waits for its first copy, which has not begun yet in this batch. */
    private boolean beforeItsCopy(TableId table) {
        return !copyStarted.contains(table) && awaitingCopy.test(table);
    }

    /** {@return whether {@code change} created its table (a new relation, whatever the name had before)} */
    static boolean creates(SchemaChangeEvent change) {
        return change.kind() == SchemaChangeEvent.Kind.CREATED;
    }

    /** Takes in a kept event; {@return whether it is a streamed row change (copied rows are not)} */
    boolean account(ChangeEvent event) {
        if (event instanceof SnapshotEvent snapshot) {
            inSnapshot = true;
            copy.event(snapshot);
            if (snapshot.phase() != SnapshotEvent.Phase.FINISHED
                    && !snapshot.progress().isEmpty()) {
                progressInTransaction.put(snapshot.table(), snapshot.progress());
            }
            if (snapshot.phase() == SnapshotEvent.Phase.FINISHED) {
                progressInTransaction.remove(snapshot.table());
                copiedInTransaction.add(snapshot.table());
                // a copy served after a schema change that asked for one holds its effect: the table is whole
                refilled.remove(snapshot.table());
            }
        } else if (event instanceof CommitEvent) {
            snapshotCommitted |= inSnapshot;
            inSnapshot = false;
            copied.addAll(copiedInTransaction);
            copiedInTransaction.forEach(progress::remove);
            progress.putAll(progressInTransaction);
            copiedInTransaction.clear();
            progressInTransaction.clear();
        } else if (event instanceof SchemaChangeEvent change && change.recopy() != null) {
            refilled.put(change.table(), change.recopy());
            // a copy finished earlier in the batch does not hold this change: the table awaits another copy
            copied.remove(change.table());
            copiedInTransaction.remove(change.table());
        } else if (event instanceof InsertEvent insert && inSnapshot) {
            copy.row(insert.table());
        } else if (event instanceof RowChange change) {
            counts.merge(change.table(), RowCounts.NONE.plus(change), (a, b) -> a.plus(change));
            return true;
        }
        return false;
    }

    /** Row changes per table. */
    Map<TableId, RowCounts> counts() {
        return counts;
    }

    /** Tables created at the source in this batch that join the selection. */
    Set<TableId> created() {
        return created;
    }

    /** Replicated tables the source dropped in this batch. */
    Set<TableId> dropped() {
        return dropped;
    }

    /** What this batch did to the names of tables, in order, as read so far. */
    List<FirstNames.Step> steps() {
        return steps;
    }

    /** Renames of replicated tables this batch followed, in order: old name to new name. */
    List<Map.Entry<TableId, TableId>> followed() {
        return followed;
    }

    /**
     * Replicated tables the source renamed to a name not followed: old name to new name. Those also {@link
     * #dropped()} went to a name the selection does not take; the others to one that joins as a table of its own.
     */
    Map<TableId, TableId> renamedAway() {
        return renamedAway;
    }

    /** Why the rename of {@code from} to a selected name (in {@link #renamedAway()}) was not followed. */
    String refusal(TableId from) {
        return refusals.getOrDefault(from, "");
    }

    /** The tables whose copy this batch holds whole (and so commits). */
    Set<TableId> copied() {
        return copied;
    }

    /**
     * The copies this batch leaves in part: each table's progress as its last committed part recorded it. A
     * copy that finished in the batch is not among them, nor one that cannot resume (no progress recorded).
     */
    Map<TableId, String> progress() {
        return progress;
    }

    /** Tables a schema change in this batch left for the target to copy again, with the reason. */
    Map<TableId, String> refilled() {
        return refilled;
    }

    /** Whether this batch holds (and so commits) a whole initial copy. */
    boolean committedSnapshot() {
        return snapshotCommitted;
    }
}

package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.spi.StreamItem;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies in parts that a stream resumes: from where each stopped to where the stream serves their resumed copy,
 * a table's changes are not handed on (the resumed copy's snapshot holds them) but noted. A row changed after a
 * table's recorded point may no longer be as the ranges the target holds have it, so the key of every row
 * changed since (before and after the change) is kept: the resumed copy deletes those keys in the target and
 * loads those rows again as they are now. A change that is not a row's (a TRUNCATE, DDL), a row whose key
 * cannot be told, or more keys than {@link #MAX_KEYS} make the table copy whole instead. The stream starts at
 * the earliest recorded point, and until the resumed copy is committed the slot is not acknowledged past it: a
 * crash before then finds every change since still in the slot.
 */
public final class CopyResumption {
    private static final Logger LOG = LoggerFactory.getLogger(CopyResumption.class);
    /** The most keys of changed rows kept, over all tables; past it a table copies whole. */
    static final int MAX_KEYS = 1_000_000;

    private final Map<TableId, String> progress;
    /** Each resumed table's recorded point: its changes from there on were not in the snapshot it was copied in. */
    private final Map<TableId, Lsn> points = new HashMap<>();

    private final Set<TableId> changed = new HashSet<>();
    /** The keys of each table's rows changed since its recorded point, and where each table's key columns are. */
    private final Map<TableId, Set<List<Object>>> keys = new HashMap<>();

    private final Map<TableId, int[]> keyColumns = new HashMap<>();
    private int keyCount;
    private final int maxKeys;
    /** The tables whose resumed copy has not been served yet: their changes are held back. */
    private final Set<TableId> waiting = new HashSet<>();

    private final Lsn earliest;
    private Lsn transaction = Lsn.NONE;
    private Lsn copyPoint;

    /**
     * The copies {@code progress} records, on a stream whose slot stands at {@code confirmed}: a table recorded
     * before that point may have had changes the slot no longer holds, so it counts as changed.
     */
    public CopyResumption(Map<TableId, String> progress, Lsn confirmed) {
        this(progress, confirmed, MAX_KEYS);
    }

    /** As above, keeping at most {@code maxKeys} keys of changed rows. */
    CopyResumption(Map<TableId, String> progress, Lsn confirmed, int maxKeys) {
        this.maxKeys = maxKeys;
        this.progress = Map.copyOf(progress);
        Lsn first = null;
        for (var entry : progress.entrySet()) {
            TableId table = entry.getKey();
            waiting.add(table);
            Lsn point = CopyCheckpoint.parse(entry.getValue())
                    .map(CopyCheckpoint::point)
                    .orElse(null);
            if (point == null || point.isBefore(confirmed)) {
                // its record is unreadable, or the slot moved past it: copied whole
                changed.add(table);
            } else {
                points.put(table, point);
                first = first == null || point.isBefore(first) ? point : first;
            }
        }
        this.earliest = first;
    }

    /** The copies to resume, with their recorded progress. */
    public Map<TableId, String> progress() {
        return progress;
    }

    /** Where the stream starts: the earliest recorded point, or {@code resumeAfter} when that is earlier. */
    public Lsn start(Lsn resumeAfter) {
        return earliest == null || resumeAfter.isBefore(earliest) ? resumeAfter : earliest;
    }

    /** Whether {@code table} must be copied whole: a change since its recorded point that keys cannot mend. */
    public boolean changedSince(TableId table) {
        return changed.contains(table);
    }

    /** The keys of {@code table}'s rows changed since its recorded point (before and after each change). */
    public Set<List<Object>> changedKeys(TableId table) {
        return keys.getOrDefault(table, Set.of());
    }

    /** The resumed copy's consistent point, once its slot was created. */
    public void copyAt(Lsn point) {
        this.copyPoint = point;
    }

    /**
     * {@code item} as the stream hands it on: a change of a table still waiting for its resumed copy is noted
     * and dropped (a progress report without a position stands in for it).
     */
    public StreamItem filter(StreamItem item) {
        ChangeEvent event = item.event();
        if (event == null || waiting.isEmpty()) {
            return item;
        }
        if (event instanceof BeginEvent begin) {
            transaction = begin.commitLsn();
            return item;
        }
        if (event instanceof SnapshotEvent snapshot) {
            // the resumed copy is being served: what follows it applies on top of it
            waiting.remove(snapshot.table());
            return item;
        }
        if (event instanceof TruncateEvent truncate
                && truncate.tables().stream().anyMatch(waiting::contains)) {
            truncate.tables().stream().filter(waiting::contains).forEach(t -> changed(t, "a TRUNCATE"));
            List<TableId> rest =
                    truncate.tables().stream().filter(t -> !waiting.contains(t)).toList();
            return rest.isEmpty()
                    ? StreamItem.progress(Lsn.NONE)
                    : StreamItem.of(
                            item.position(),
                            item.serverEnd(),
                            new TruncateEvent(rest, truncate.cascade(), truncate.restartIdentity()));
        }
        if (event instanceof TableEvent e && waiting.contains(e.table())) {
            if (event instanceof RelationEvent relation) {
                keyColumns.put(e.table(), CopyKeys.columns(relation.schema()));
            } else if (event instanceof RowChange change) {
                rowChanged(change);
            } else {
                changed(e.table(), "a change that is not a row's");
            }
            return StreamItem.progress(Lsn.NONE);
        }
        return item;
    }

    /** Keeps the keys {@code change} touched: the row's before and after. */
    private void rowChanged(RowChange change) {
        TableId table = change.table();
        if (!after(table) || changed.contains(table)) {
            return;
        }
        int[] columns = keyColumns.getOrDefault(table, new int[0]);
        List<Object> before = null;
        List<Object> now = null;
        if (change instanceof InsertEvent insert) {
            now = CopyKeys.of(insert.row(), columns);
        } else if (change instanceof UpdateEvent update) {
            before = update.oldRow() == null ? null : CopyKeys.of(update.oldRow(), columns);
            now = CopyKeys.of(update.newRow(), columns);
            if (now == null) {
                // the key is the old one, unchanged (a large key value not sent again)
                now = before;
            }
        } else if (change instanceof DeleteEvent delete) {
            before = CopyKeys.of(delete.oldRow(), columns);
        }
        if (before == null && now == null) {
            changed(table, "a changed row whose key cannot be told");
            return;
        }
        Set<List<Object>> kept = keys.computeIfAbsent(table, t -> new HashSet<>());
        for (List<Object> key : Arrays.asList(before, now)) {
            if (key != null && kept.add(key) && ++keyCount > maxKeys) {
                changed(table, "more than " + maxKeys + " rows changed");
                return;
            }
        }
    }

    /** Whether the transaction being read commits at or after {@code table}'s recorded point. */
    private boolean after(TableId table) {
        Lsn point = points.get(table);
        // a transaction committing before the recorded point is in the snapshot the ranges were copied in
        return point != null && !transaction.isBefore(point);
    }

    private void changed(TableId table, String why) {
        if (after(table) && changed.add(table)) {
            Set<List<Object>> dropped = keys.remove(table);
            keyCount -= dropped == null ? 0 : dropped.size();
            LOG.info("{} changed after its copy stopped ({}, at {}): it is copied whole", table, why, transaction);
        }
    }

    /**
     * {@code durable} capped so the slot keeps every change since the earliest recorded point until the
     * resumed copy's first part is committed and the stream moved past it.
     */
    public Lsn acknowledgeable(Lsn durable) {
        if (earliest == null || copyPoint != null && durable.isAfter(copyPoint)) {
            return durable;
        }
        return durable.isAfter(earliest) ? earliest : durable;
    }
}

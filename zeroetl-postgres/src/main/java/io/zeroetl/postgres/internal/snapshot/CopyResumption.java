package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.spi.StreamItem;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies in parts that a stream resumes: from where each stopped to where the stream serves their resumed copy,
 * a table's changes are not handed on (the resumed copy's snapshot holds them) but noted, since a change after a
 * table's recorded point means the ranges the target holds may no longer be as the source has them (the table is
 * then copied whole). The stream starts at the earliest recorded point, and until the resumed copy is committed
 * the slot is not acknowledged past it: a crash before then finds every change since still in the slot.
 */
public final class CopyResumption {
    private static final Logger LOG = LoggerFactory.getLogger(CopyResumption.class);

    private final Map<TableId, String> progress;
    /** Each resumed table's recorded point: its changes from there on were not in the snapshot it was copied in. */
    private final Map<TableId, Lsn> points = new HashMap<>();

    private final Set<TableId> changed = new HashSet<>();
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

    /** Whether a change of {@code table} came after its recorded point (or could not be told). */
    public boolean changedSince(TableId table) {
        return changed.contains(table);
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
            truncate.tables().stream().filter(waiting::contains).forEach(this::changed);
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
            if (!(event instanceof RelationEvent)) {
                changed(e.table());
            }
            return StreamItem.progress(Lsn.NONE);
        }
        return item;
    }

    private void changed(TableId table) {
        Lsn point = points.get(table);
        // a transaction committing before the recorded point is in the snapshot the ranges were copied in
        if (point != null && !transaction.isBefore(point) && changed.add(table)) {
            LOG.info("{} changed after its copy stopped (at {}): it is copied whole", table, transaction);
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

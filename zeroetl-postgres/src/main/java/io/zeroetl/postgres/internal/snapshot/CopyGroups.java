package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SnapshotEvent;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy's tasks, read by {@link CopyWorkers} and served in groups of as many tasks as there are workers, in
 * the tasks' order: a group's rows interleave (so the workers read at once), and a copy {@linkplain
 * CopyPlan#inParts in parts} commits each group as a transaction of its own that says, per table, how far its
 * copy then stands. The tasks of a table come in block order, so the ranges a table's committed groups hold
 * always run from its first block: a {@link CopyCheckpoint} says how many.
 */
final class CopyGroups implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CopyGroups.class);

    private final CopyPlan plan;
    private final Instant time;
    private final Deque<ChangeEvent> pending;
    private final Map<TableId, Long> copied = new HashMap<>();
    private final Map<TableId, CopyCheckpoint> progress = new HashMap<>();
    private final Map<TableId, CopyTable> described = new HashMap<>();
    private final List<CopyWorkers.Task> tasks = new ArrayList<>();
    /** Tasks reading again the rows the target holds that changed since a resumed copy's point: served first. */
    private final List<CopyWorkers.Task> mending = new ArrayList<>();

    private final Map<TableId, List<Row>> deletions = new LinkedHashMap<>();
    private CopyWorkers workers;
    /** The first task of the group being served, and the end of that group. */
    private int groupStart;

    private int groupEnd;
    private final Set<Integer> groupDone = new HashSet<>();
    private int polled;
    private boolean finished;

    /** The groups of {@code plan}'s copy, whose events go to {@code pending}, at {@code time}. */
    CopyGroups(CopyPlan plan, Instant time, Deque<ChangeEvent> pending) {
        this.plan = plan;
        this.time = time;
        this.pending = pending;
    }

    /** Adds {@code table}'s tasks; {@return whether it is copied whole (else resumed after its done ranges)} */
    boolean add(CopyTable table) {
        described.put(table.table, table);
        CopyCheckpoint resumed = resumable(table);
        CopyCheckpoint from = resumed != null
                ? resumed
                : new CopyCheckpoint(
                        plan.consistentPoint(),
                        table.fileNode,
                        plan.blocksPerChunk(),
                        0,
                        0,
                        CopyCheckpoint.layout(table.schema));
        progress.put(table.table, from);
        copied.put(table.table, from.rows());
        tasks.addAll(split(table, from));
        if (resumed != null && resumed.chunksDone() > 0) {
            mend(table, resumed);
        }
        return resumed == null;
    }

    /**
     * The rows changed since the copy of {@code table} stopped: the target deletes their keys, and those of them
     * now in the ranges it holds are read again there (the others are in the ranges still to copy).
     */
    private void mend(CopyTable table, CopyCheckpoint resumed) {
        Set<List<Object>> keys = plan.changedKeys().apply(table.table);
        if (keys.isEmpty()) {
            return;
        }
        int[] columns = CopyKeys.columns(table.schema);
        List<Row> rows = new ArrayList<>(keys.size());
        keys.forEach(key ->
                rows.add(CopyKeys.row(key, columns, table.schema.columns().size())));
        deletions.put(table.table, rows);
        long end = resumed.chunksDone() * resumed.blocksPerChunk();
        mending.add(new CopyWorkers.Task(table, 0, end, -1, false, Set.copyOf(keys), columns));
        LOG.info(
                "{}: {} rows changed since its copy stopped are deleted in the target and read again",
                table.table,
                keys.size());
    }

    /** For each table whose rows changed since its copy stopped, a row holding each changed key: to delete. */
    Map<TableId, List<Row>> deletions() {
        return deletions;
    }

    /** Rows of {@code table} copied so far, by this copy and the parts it resumes. */
    long copied(TableId table) {
        return copied.getOrDefault(table, 0L);
    }

    /** How far {@code table}'s copy stands, as recorded. */
    String progress(TableId table) {
        return progress.get(table).encode();
    }

    /** How many workers the tasks can use. */
    int workersWanted() {
        return Math.max(1, Math.min(plan.parallelism(), tasks.size() + mending.size()));
    }

    /** Starts reading on {@code connections} (each in the copy's snapshot). */
    void start(List<Connection> connections) {
        List<CopyWorkers.Task> all = new ArrayList<>(mending);
        all.addAll(tasks);
        workers = new CopyWorkers(all, connections, plan.rawText());
        beginGroup(0);
    }

    /** Whether the last group was served (its events are pending). */
    boolean finished() {
        return finished;
    }

    /**
     * The group's next row, taken from whichever of its tasks has one (so the workers read at once), or what
     * ends the group once all its tasks are read; null when nothing came in time.
     */
    ChangeEvent next(long timeoutMillis) throws InterruptedException {
        int size = groupEnd - groupStart;
        for (int tries = 0; tries < size; tries++) {
            int index = groupStart + polled++ % size;
            if (!groupDone.contains(index)) {
                ChangeEvent next = taken(index, workers.next(index, 0));
                if (next != null) {
                    return next;
                }
            }
        }
        // nothing ready: wait on the first task still read
        for (int index = groupStart; index < groupEnd; index++) {
            if (!groupDone.contains(index)) {
                return taken(index, workers.next(index, Math.max(1, Math.min(timeoutMillis, 10))));
            }
        }
        return null;
    }

    /** What task {@code index} gave ({@code next}) means: a row, or the group's end once all its tasks are read. */
    private ChangeEvent taken(int index, Object next) {
        if (next instanceof InsertEvent insert) {
            if (!workers.tasks().get(index).mends()) {
                copied.merge(insert.table(), 1L, Long::sum);
            }
            return insert;
        }
        if (next == CopyWorkers.DONE) {
            groupDone.add(index);
            if (groupDone.size() == groupEnd - groupStart) {
                endGroup();
                return pending.poll();
            }
        }
        return null;
    }

    /** The group's tasks are read: each table's progress (or end), the commit, and the next group's start. */
    private void endGroup() {
        Map<TableId, Long> rangesDone = new LinkedHashMap<>();
        Set<TableId> ended = new LinkedHashSet<>();
        for (int index = groupStart; index < groupEnd; index++) {
            CopyWorkers.Task task = workers.tasks().get(index);
            if (task.mends()) {
                continue;
            }
            rangesDone.merge(task.table().table, 1L, Long::sum);
            if (task.last()) {
                ended.add(task.table().table);
            }
        }
        Lsn lsn = plan.consistentPoint();
        for (var entry : rangesDone.entrySet()) {
            TableId table = entry.getKey();
            long rows = copied.getOrDefault(table, 0L);
            CopyTable described = this.described.get(table);
            if (ended.contains(table)) {
                progress.remove(table);
                pending.add(new SnapshotEvent(table, SnapshotEvent.Phase.FINISHED, rows, described.estimatedRows));
            } else if (plan.inParts()) {
                CopyCheckpoint done = progress.get(table).after(entry.getValue(), rows);
                progress.put(table, done);
                pending.add(new SnapshotEvent(
                        table, SnapshotEvent.Phase.CHUNK, rows, described.estimatedRows, done.encode()));
            }
        }
        boolean last = groupEnd == workers.tasks().size();
        if (plan.inParts() || last) {
            pending.add(new CommitEvent(lsn, lsn, time));
        }
        if (last) {
            finished = true;
            workers.close();
        } else {
            beginGroup(groupEnd);
        }
    }

    /** The group of tasks from {@code first}: as many as there are workers; in parts, its own transaction. */
    private void beginGroup(int first) {
        List<CopyWorkers.Task> all = workers.tasks();
        groupStart = first;
        groupEnd = first;
        // a group is tasks of one kind: the mending ones go into the copy's first transaction, still open
        boolean mends = all.get(first).mends();
        while (groupEnd < all.size()
                && groupEnd - first < Math.max(1, plan.parallelism())
                && all.get(groupEnd).mends() == mends) {
            groupEnd++;
        }
        groupDone.clear();
        polled = 0;
        if (!plan.inParts() || mends) {
            return;
        }
        Lsn lsn = plan.consistentPoint();
        pending.add(new BeginEvent(0, lsn, time));
        Set<TableId> opened = new LinkedHashSet<>();
        for (int index = groupStart; index < groupEnd; index++) {
            opened.add(workers.tasks().get(index).table().table);
        }
        for (TableId table : opened) {
            // the group's rows of the table are not in the target yet
            CopyCheckpoint done = progress.get(table);
            pending.add(new SnapshotEvent(
                    table,
                    SnapshotEvent.Phase.CHUNK,
                    copied.getOrDefault(table, 0L),
                    described.get(table).estimatedRows,
                    done.encode()));
        }
    }

    /**
     * Where {@code table}'s copy resumes, or null when it is copied whole: it was not cut off, its record is not
     * one this version wrote, or it changed since (a change streamed, a new file, other columns).
     */
    private CopyCheckpoint resumable(CopyTable table) {
        String recorded = plan.resume().get(table.table);
        if (recorded == null) {
            return null;
        }
        CopyCheckpoint checkpoint = CopyCheckpoint.parse(recorded).orElse(null);
        String why = null;
        if (checkpoint == null) {
            why = "its recorded progress is not one this version reads";
        } else if (table.fileNode == 0) {
            why = "a partitioned table is read whole (its partitions' rows through it), not in block ranges";
        } else if (plan.changedSince().test(table.table)) {
            why = "it changed since its copy stopped";
        } else if (checkpoint.fileNode() != table.fileNode) {
            why = "its rows were rewritten since (TRUNCATE, VACUUM FULL, CLUSTER or ALTER TABLE)";
        } else if (!checkpoint.layout().equals(CopyCheckpoint.layout(table.schema))) {
            why = "its columns changed since";
        }
        if (why != null) {
            LOG.info("The copy of {} starts over: {}", table.table, why);
            return null;
        }
        LOG.info(
                "The copy of {} resumes after {} rows ({} block ranges of {} blocks)",
                table.table,
                checkpoint.rows(),
                checkpoint.chunksDone(),
                checkpoint.blocksPerChunk());
        return checkpoint.at(plan.consistentPoint());
    }

    /**
     * {@code table}'s tasks after the ranges {@code from} holds done: block ranges of its chunk size where
     * PostgreSQL scans them directly and the table has more than one, the last open-ended (rows added to blocks
     * past the snapshot's size are not visible to it anyway); else the table whole.
     */
    private List<CopyWorkers.Task> split(CopyTable table, CopyCheckpoint from) {
        List<CopyWorkers.Task> tasks = new ArrayList<>();
        long chunk = from.blocksPerChunk();
        long first = from.chunksDone() * chunk;
        if (!plan.rangeScans() || table.blocks < 2 * chunk) {
            if (first == 0) {
                tasks.add(new CopyWorkers.Task(table, 0, -1, 0, true));
            } else {
                // resumed past what is now the table's end: its last range is open-ended
                tasks.add(new CopyWorkers.Task(table, first, -1, from.chunksDone(), true));
            }
            return tasks;
        }
        for (long start = first, n = from.chunksDone(); start < table.blocks || start == first; start += chunk, n++) {
            long to = start + chunk;
            boolean last = to >= table.blocks;
            tasks.add(new CopyWorkers.Task(table, start, last ? -1 : to, n, last));
            if (last) {
                break;
            }
        }
        return tasks;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
    }
}

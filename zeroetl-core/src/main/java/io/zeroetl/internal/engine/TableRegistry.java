package io.zeroetl.internal.engine;

import io.zeroetl.PipelineListener;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each replicated table's state and change counts. Thread-safe. */
final class TableRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(TableRegistry.class);

    private final Map<TableId, TableStatus> tables = new TreeMap<>();
    private final Map<TableId, Long> copyStart = new TreeMap<>();
    /** Rows a resumed copy held when this instance took it up: its rate counts from there. */
    private final Map<TableId, Long> copyBase = new TreeMap<>();
    /** How often each table's state was set: a reader that saw the same count twice saw no transition between. */
    private final Map<TableId, Long> transitions = new TreeMap<>();

    private final List<PipelineListener> listeners;

    TableRegistry(Set<TableId> selected, TableState initial, List<PipelineListener> listeners) {
        this.listeners = listeners;
        for (TableId table : selected) {
            tables.put(table, new TableStatus(table, initial, null, 0, 0, 0));
        }
    }

    /** Whether changes of {@code table} are applied: it is selected and not FAILED. */
    synchronized boolean accepts(TableId table) {
        TableStatus status = tables.get(table);
        return status != null && status.state() != TableState.FAILED && status.state() != TableState.DROPPED;
    }

    /** Whether {@code table} is known (selected at start or joined since), in any state. */
    synchronized boolean knows(TableId table) {
        return tables.containsKey(table);
    }

    /**
     * {@code from} carries the name {@code to} from now on (renamed at the source, followed): its state, counts and
     * transitions go with it.
     */
    void rename(TableId from, TableId to) {
        TableStatus moved;
        synchronized (this) {
            TableStatus old = tables.remove(from);
            if (old == null) {
                return;
            }
            moved = new TableStatus(
                    to,
                    old.state(),
                    old.reason(),
                    old.inserts(),
                    old.updates(),
                    old.deletes(),
                    old.copiedRows(),
                    old.estimatedRows(),
                    old.copyRowsPerSecond(),
                    old.note());
            tables.put(to, moved);
            Long count = transitions.remove(from);
            transitions.put(to, count == null ? 1 : count + 1);
        }
        for (PipelineListener l : listeners) {
            l.tableStateChanged(moved);
        }
    }

    /** Adds a table that joined the selection while running (created at the source), in {@code state}. */
    void join(TableId table, TableState state) {
        synchronized (this) {
            tables.putIfAbsent(table, new TableStatus(table, state, null, 0, 0, 0));
        }
        set(table, state, null);
    }

    void setAll(TableState state) {
        List<TableStatus> all;
        synchronized (this) {
            all = List.copyOf(tables.values());
        }
        for (TableStatus status : all) {
            if (status.state() != TableState.FAILED && status.state() != TableState.DROPPED) {
                set(status.table(), state, null);
            }
        }
    }

    /** The table's state, or null when it is not known. */
    synchronized TableState stateOf(TableId table) {
        TableStatus status = tables.get(table);
        return status == null ? null : status.state();
    }

    /**
     * {@return how many times the table's state was set so far} Equal counts before and after some work mean the
     * table went through no transition meanwhile, not even one that ended in the state it began in (a copy again).
     */
    synchronized long transitionsOf(TableId table) {
        return transitions.getOrDefault(table, 0L);
    }

    /** Whether a table waits for its copy or is being copied (PENDING, SNAPSHOTTING, RESYNCING). */
    synchronized boolean copying() {
        return tables.values().stream()
                .anyMatch(t -> t.state() == TableState.PENDING
                        || t.state() == TableState.SNAPSHOTTING
                        || t.state() == TableState.RESYNCING);
    }

    /** Moves the tables still PENDING to {@code state} (the stream opened: their copy is done or starts). */
    void settlePending(TableState state) {
        settle(TableState.PENDING, state, Set.of());
    }

    /** Moves the tables in state {@code from}, except {@code except}, to {@code to}. */
    void settle(TableState from, TableState to, Set<TableId> except) {
        List<TableStatus> all;
        synchronized (this) {
            all = List.copyOf(tables.values());
        }
        for (TableStatus status : all) {
            if (status.state() == from && !except.contains(status.table())) {
                set(status.table(), to, null);
            }
        }
    }

    /** Moves {@code table} to {@code state} with {@code reason} (null unless FAILED or RESYNC_REQUIRED). */
    void set(TableId table, TableState state, String reason) {
        TableStatus updated;
        synchronized (this) {
            TableStatus old = tables.get(table);
            if (old == null) {
                return;
            }
            updated = new TableStatus(
                    table,
                    state,
                    reason,
                    old.inserts(),
                    old.updates(),
                    old.deletes(),
                    old.copiedRows(),
                    old.estimatedRows(),
                    state == old.state() ? old.copyRowsPerSecond() : 0,
                    old.note());
            tables.put(table, updated);
            transitions.merge(table, 1L, Long::sum);
        }
        if (state == TableState.FAILED) {
            LOG.warn("Table {} FAILED: {}; the other tables continue", table, reason);
        }
        for (PipelineListener listener : listeners) {
            try {
                listener.tableStateChanged(updated);
            } catch (RuntimeException e) {
                LOG.warn("A listener failed on table {} -> {}: {}", table, state, e.toString());
            }
        }
    }

    /** A table's copy starts (again, after a retry): progress restarts from zero. */
    synchronized void copyStarted(TableId table, long estimatedRows) {
        TableStatus old = tables.get(table);
        if (old != null) {
            tables.put(table, withCopy(old, 0, estimatedRows, 0));
            copyStart.put(table, System.nanoTime());
            copyBase.put(table, 0L);
        }
    }

    /**
     * A part of the table's copy arrived, {@code rows} rows into it: a copy resumed by this instance goes on
     * from there (its rate counts from here); one it follows already changes nothing.
     */
    synchronized void copyResumed(TableId table, long rows, long estimatedRows) {
        TableStatus old = tables.get(table);
        if (old != null && !copyStart.containsKey(table)) {
            tables.put(table, withCopy(old, rows, estimatedRows, 0));
            copyStart.put(table, System.nanoTime());
            copyBase.put(table, rows);
        }
    }

    /** {@code rows} more rows of the table's copy reached the target. */
    synchronized void copied(TableId table, long rows) {
        TableStatus old = tables.get(table);
        Long started = copyStart.get(table);
        if (old != null && started != null) {
            long copied = old.copiedRows() + rows;
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            long base = copyBase.getOrDefault(table, 0L);
            tables.put(table, withCopy(old, copied, old.estimatedRows(), (copied - base) / seconds));
        }
    }

    /** {@code old} with its copy progress replaced. */
    private static TableStatus withCopy(TableStatus old, long copiedRows, long estimatedRows, double rowsPerSecond) {
        return new TableStatus(
                old.table(),
                old.state(),
                old.reason(),
                old.inserts(),
                old.updates(),
                old.deletes(),
                copiedRows,
                estimatedRows,
                rowsPerSecond,
                old.note());
    }

    /** Adds the counts of a committed batch. */
    synchronized void add(Map<TableId, RowCounts> counts) {
        counts.forEach((table, c) -> {
            TableStatus old = tables.get(table);
            if (old != null) {
                tables.put(
                        table,
                        new TableStatus(
                                table,
                                old.state(),
                                old.reason(),
                                old.inserts() + c.inserts(),
                                old.updates() + c.updates(),
                                old.deletes() + c.deletes(),
                                old.copiedRows(),
                                old.estimatedRows(),
                                old.copyRowsPerSecond(),
                                old.note()));
            }
        });
    }

    /** What of {@code table} the source cannot replicate exactly (null: nothing); shown in its status. */
    synchronized void note(TableId table, String note) {
        TableStatus old = tables.get(table);
        if (old != null) {
            tables.put(
                    table,
                    new TableStatus(
                            table,
                            old.state(),
                            old.reason(),
                            old.inserts(),
                            old.updates(),
                            old.deletes(),
                            old.copiedRows(),
                            old.estimatedRows(),
                            old.copyRowsPerSecond(),
                            note));
            if (note != null) {
                LOG.warn("Table {}: {}", table, note);
            }
        }
    }

    synchronized Map<TableId, TableStatus> snapshot() {
        return Map.copyOf(tables);
    }
}

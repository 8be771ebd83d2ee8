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
        return status != null && status.state() != TableState.FAILED;
    }

    synchronized void setAll(TableState state) {
        for (TableStatus status : List.copyOf(tables.values())) {
            if (status.state() != TableState.FAILED) {
                set(status.table(), state, null);
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
            updated = new TableStatus(table, state, reason, old.inserts(), old.updates(), old.deletes());
            tables.put(table, updated);
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

    /** Adds the counts of a committed batch. */
    synchronized void add(Map<TableId, long[]> counts) {
        counts.forEach((table, c) -> {
            TableStatus old = tables.get(table);
            if (old != null) {
                tables.put(table, new TableStatus(table, old.state(), old.reason(), old.inserts() + c[0],
                        old.updates() + c[1], old.deletes() + c[2]));
            }
        });
    }

    synchronized Map<TableId, TableStatus> snapshot() {
        return Map.copyOf(tables);
    }
}

package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.TableId;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a copy's tasks (tables, or block ranges of one) on several connections at once, each task into a
 * bounded queue of its own, so that the rows of any task can be handed out whole and in the tasks' order:
 * a worker takes the tasks in order, and one that runs ahead waits on its full queue. Memory stays bounded by
 * the workers times the queue's rows.
 */
final class CopyWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CopyWorkers.class);
    private static final int QUEUE_ROWS = 256;
    /** What a task's queue holds after its last row. */
    static final Object DONE = new Object();

    /**
     * Blocks {@code [from, to)} of {@code table} ({@code to} -1: to the end); {@code chunk} is the range's number
     * counted from the table's first block, {@code last} whether it is the table's last task. A task with
     * {@code only} keys (at the table's {@code keyColumns}) reads the rows with those keys alone: rows the target
     * holds that changed since, read again ({@code chunk} -1, no range of the copy's own).
     */
    record Task(
            CopyTable table, long from, long to, long chunk, boolean last, Set<List<Object>> only, int[] keyColumns) {
        /** A range of the copy: all its rows. */
        Task(CopyTable table, long from, long to, long chunk, boolean last) {
            this(table, from, to, chunk, last, null, null);
        }

        /** Whether this task reads changed rows again rather than a range of the copy. */
        boolean mends() {
            return only != null;
        }
    }

    private final List<Task> tasks;
    private final List<BlockingQueue<Object>> queues = new ArrayList<>();
    private final ConcurrentLinkedQueue<Integer> work = new ConcurrentLinkedQueue<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Connection> connections;
    private final boolean rawText;

    /** Starts a worker on each of {@code connections} (each in the copy's snapshot) over {@code tasks}. */
    CopyWorkers(List<Task> tasks, List<Connection> connections, boolean rawText) {
        this.tasks = List.copyOf(tasks);
        this.connections = List.copyOf(connections);
        this.rawText = rawText;
        for (int i = 0; i < tasks.size(); i++) {
            queues.add(new LinkedBlockingQueue<>(QUEUE_ROWS));
            work.add(i);
        }
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            Thread worker = new Thread(() -> run(c), "zeroetl-copy-" + (i + 1));
            worker.setDaemon(true);
            threads.add(worker);
            worker.start();
        }
    }

    /** The tasks, in the order their rows are handed out. */
    List<Task> tasks() {
        return tasks;
    }

    /**
     * The next of task {@code index}'s rows (an {@link InsertEvent}), {@link #DONE} after its last, or null
     * when none came within {@code timeoutMillis}; throws what a worker failed with.
     */
    Object next(int index, long timeoutMillis) throws InterruptedException {
        Object next = timeoutMillis == 0
                ? queues.get(index).poll()
                : queues.get(index).poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (next == null && failure.get() != null) {
            throw failure.get();
        }
        return next;
    }

    private void run(Connection c) {
        try {
            CopyTable.readTextAsStored(c, rawText);
            CopyLocks.boundWaits(c);
            Set<TableId> locked = new HashSet<>();
            Integer index;
            while ((index = work.poll()) != null) {
                Task task = tasks.get(index);
                BlockingQueue<Object> queue = queues.get(index);
                if (locked.add(task.table().table)) {
                    CopyLocks.lockBeforeReading(c, task.table().table);
                }
                CopyOut out = c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyOut(task.table().copySql(task.from(), task.to()));
                byte[] row;
                while ((row = out.readFromCopy()) != null) {
                    Row values = CopyRows.row(task.table(), row);
                    // a mending task reads again only the rows changed since: the others are in the target as they are
                    if (!task.mends() || task.only().contains(CopyKeys.of(values, task.keyColumns()))) {
                        queue.put(new InsertEvent(task.table().table, values, 64 + row.length * 2));
                    }
                }
                queue.put(DONE);
            }
            // out of tasks: its locks go (a command waiting for them must not wait for the rest of the copy, nor
            // hold up what waits behind it); a worker still to read a table locks and checks it itself
            c.commit();
        } catch (SQLException e) {
            failure.compareAndSet(null, CopyTable.failure(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Stops the workers and closes their connections. */
    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a copy connection", e);
            }
        }
    }
}

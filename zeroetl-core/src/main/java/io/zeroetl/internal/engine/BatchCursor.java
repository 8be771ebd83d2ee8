package io.zeroetl.internal.engine;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.spi.Batch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One batch, read from the queue as the applier asks: whole transactions until {@code batchSize} row
 * changes, {@code maxBatchBytes}, or {@code flushInterval} after the first event, whichever comes first,
 * checked only between transactions. Events of tables the filter rejects are dropped. What it hands out
 * is kept (up to a byte limit) so a failed attempt can be repeated without the source.
 */
final class BatchCursor implements Batch {
    private static final long WAIT_SLICE_NANOS = 100_000_000L;

    private final EventQueue queue;
    private final EngineConfig config;
    private final Predicate<TableId> accepted;
    private final Iterator<ChangeEvent> prefix;
    private final long deadlineNanos;

    private List<ChangeEvent> recorded = new ArrayList<>();
    private long recordedBytes;
    private boolean inTransaction;
    private boolean ended;
    private int transactions;
    private long rows;
    private long bytes;
    private Lsn endPosition;
    private Instant lastCommitTime;
    private volatile Instant pendingSince;
    private RuntimeException streamFailure;
    private boolean abandoned;
    private final Map<TableId, long[]> counts = new TreeMap<>();
    private final CopyProgress copy;
    private final Map<TableId, TableId> renamedAway = new TreeMap<>();
    private final Set<TableId> created = new TreeSet<>();
    private final Set<TableId> dropped = new TreeSet<>();
    private Predicate<SchemaChangeEvent> joins = change -> false;
    private boolean inSnapshot;
    private boolean snapshotCommitted;
    private final Set<TableId> copiedInTransaction = new HashSet<>();
    private final Set<TableId> copied = new HashSet<>();
    private final Map<TableId, String> refilled = new TreeMap<>();

    /**
     * A batch starting at {@code resumedFrom}; {@code prefix} (may be null) is what an earlier attempt
     * at this batch read, to be served again before the queue.
     */
    BatchCursor(
            EventQueue queue,
            EngineConfig config,
            Predicate<TableId> accepted,
            Lsn resumedFrom,
            List<ChangeEvent> prefix,
            CopyProgress copy) {
        this.copy = copy;
        this.queue = queue;
        this.config = config;
        this.accepted = accepted;
        this.prefix = prefix == null ? null : prefix.iterator();
        this.endPosition = resumedFrom;
        this.deadlineNanos = System.nanoTime() + config.flushInterval().toNanos();
    }

    @Override
    public ChangeEvent next() {
        if (ended) {
            return null;
        }
        while (true) {
            ChangeEvent event = nextEvent();
            if (event == null) {
                ended = true;
                return null;
            }
            // a replay must decide again, so it gets every event read, kept or not: a table's failure can
            // change what is kept, and a dropped event (a CREATE TABLE that joins) still has its effect
            record(event);
            ChangeEvent kept = filter(event);
            if (kept != null) {
                account(kept);
                return kept;
            }
        }
    }

    private ChangeEvent nextEvent() {
        if (prefix != null && prefix.hasNext()) {
            return prefix.next();
        }
        try {
            while (true) {
                if (!inTransaction && transactions > 0 && full()) {
                    return null;
                }
                long wait = inTransaction || transactions == 0
                        ? WAIT_SLICE_NANOS
                        : Math.min(WAIT_SLICE_NANOS, deadlineNanos - System.nanoTime());
                Object head = queue.peek(Math.max(0, wait));
                if (head == null) {
                    continue;
                }
                if (head instanceof EventQueue.Signal signal) {
                    return onSignal(signal);
                }
                queue.poll(0);
                return (ChangeEvent) head;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            throw new ZeroEtlException(ErrorCode.ILLEGAL_STATE, "Interrupted while reading a batch; it is abandoned");
        }
    }

    private boolean full() {
        return rows >= config.batchSize() || bytes >= config.maxBatchBytes() || System.nanoTime() >= deadlineNanos;
    }

    /** At a transaction boundary the signal ends the batch and stays queued; inside a transaction it aborts it. */
    private ChangeEvent onSignal(EventQueue.Signal signal) throws InterruptedException {
        if (!inTransaction) {
            return null;
        }
        queue.poll(0);
        if (signal instanceof EventQueue.StreamFailed failed) {
            streamFailure = failed.error();
            throw new RetriableException(
                    ErrorCode.CONNECTION,
                    "The change stream broke in the middle of a"
                            + " transaction; the batch is rolled back and read again",
                    failed.error());
        }
        abandoned = true;
        throw new ZeroEtlException(
                ErrorCode.ILLEGAL_STATE,
                "The pipeline is closing in the middle of a"
                        + " transaction; the batch is rolled back and will be read again on the next start");
    }

    private ChangeEvent filter(ChangeEvent event) {
        if (event instanceof TableEvent e
                && !(event instanceof SchemaChangeEvent)
                && dropped.contains(e.table())
                && !created.contains(e.table())) {
            return null;
        }
        if (event instanceof SchemaChangeEvent change
                && (!accepted.test(change.table()) || dropped.contains(change.table()))
                && joins.test(change)) {
            // created (or created again) at the source and selected: it joins once this batch commits
            created.add(change.table());
            dropped.remove(change.table());
            return null;
        }
        if (event instanceof SchemaChangeEvent change
                && change.after().columns().isEmpty()
                && accepted.test(change.table())) {
            dropped.add(change.table());
            return event;
        }
        if (event instanceof SchemaChangeEvent change
                && change.renamedFrom() != null
                && !change.renamedFrom().equals(change.table())
                && accepted.test(change.renamedFrom())
                && !accepted.test(change.table())) {
            renamedAway.put(change.renamedFrom(), change.table());
            return null;
        }
        if (event instanceof TableEvent tableEvent) {
            return accepted.test(tableEvent.table()) ? event : null;
        }
        if (event instanceof TruncateEvent truncate) {
            List<TableId> kept = truncate.tables().stream().filter(accepted).toList();
            if (kept.isEmpty()) {
                return null;
            }
            return kept.size() == truncate.tables().size()
                    ? event
                    : new TruncateEvent(kept, truncate.cascade(), truncate.restartIdentity());
        }
        return event;
    }

    private void record(ChangeEvent event) {
        if (recorded != null) {
            recorded.add(event);
            recordedBytes += event.estimatedBytes();
            if (recordedBytes > config.replayBytes()) {
                recorded = null;
            }
        }
    }

    private void account(ChangeEvent event) {
        bytes += event.estimatedBytes();
        if (event instanceof BeginEvent begin) {
            inTransaction = true;
            if (pendingSince == null) {
                pendingSince = begin.commitTime();
            }
        } else if (event instanceof SnapshotEvent snapshot) {
            inSnapshot = true;
            copy.event(snapshot);
            if (snapshot.phase() == SnapshotEvent.Phase.FINISHED) {
                copiedInTransaction.add(snapshot.table());
            }
        } else if (event instanceof CommitEvent commit) {
            snapshotCommitted |= inSnapshot;
            inSnapshot = false;
            copied.addAll(copiedInTransaction);
            copiedInTransaction.clear();
            inTransaction = false;
            transactions++;
            endPosition = commit.endLsn();
            lastCommitTime = commit.commitTime();
        } else if (event instanceof SchemaChangeEvent change && change.recopy() != null) {
            refilled.put(change.table(), change.recopy());
        } else if (event instanceof InsertEvent insert && inSnapshot) {
            copy.row(insert.table());
        } else if (event instanceof RowChange change) {
            rows++;
            long[] tally = counts.computeIfAbsent(change.table(), t -> new long[3]);
            if (change instanceof InsertEvent) {
                tally[0]++;
            } else if (change instanceof UpdateEvent) {
                tally[1]++;
            } else if (change instanceof DeleteEvent) {
                tally[2]++;
            }
        }
    }

    @Override
    public Lsn endPosition() {
        requireEnded();
        return endPosition;
    }

    @Override
    public Instant lastCommitTime() {
        requireEnded();
        return lastCommitTime;
    }

    private void requireEnded() {
        if (!ended) {
            throw new IllegalStateException("read the batch to its end (next() returning null) first");
        }
    }

    boolean isEnded() {
        return ended;
    }

    /** Whether the batch holds at least one whole transaction. */
    boolean hasTransactions() {
        return transactions > 0;
    }

    long rows() {
        return rows;
    }

    /** The whole source transactions this batch holds. */
    long transactions() {
        return transactions;
    }

    /** The source commit time of the oldest transaction this batch has started on, or null. */
    Instant pendingSince() {
        return pendingSince;
    }

    /** Row changes per table: inserts, updates, deletes. */
    Map<TableId, long[]> counts() {
        return counts;
    }

    /** Decides which schema changes of tables not (or no longer) replicated make them join. */
    BatchCursor joining(Predicate<SchemaChangeEvent> joins) {
        this.joins = joins;
        return this;
    }

    /** Tables created at the source in this batch that join the selection. */
    Set<TableId> createdTables() {
        return created;
    }

    /** Replicated tables the source dropped in this batch. */
    Set<TableId> droppedTables() {
        return dropped;
    }

    /** Selected tables the source renamed to a name not selected: old name to new name. */
    Map<TableId, TableId> renamedAway() {
        return renamedAway;
    }

    /** The tables whose copy this batch holds whole (and so commits). */
    Set<TableId> copiedTables() {
        return copied;
    }

    /** Tables a schema change in this batch left for the target to copy again, with the reason. */
    Map<TableId, String> refilledTables() {
        return refilled;
    }

    /** Whether this batch holds (and so commits) a whole initial copy. */
    boolean committedSnapshot() {
        return snapshotCommitted;
    }

    /** The reader's failure that broke this batch, if that is what happened. */
    RuntimeException streamFailure() {
        return streamFailure;
    }

    /** Whether the batch was abandoned because the pipeline is closing. */
    boolean abandoned() {
        return abandoned;
    }

    /**
     * What to serve again on a retry: what this attempt read, then what it did not get to of its own
     * prefix (an attempt that failed before reading everything it was given must pass the rest on); null
     * when it was too large to keep.
     */
    List<ChangeEvent> replayPrefix() {
        if (recorded == null || prefix == null || !prefix.hasNext()) {
            return recorded;
        }
        List<ChangeEvent> all = new ArrayList<>(recorded);
        prefix.forEachRemaining(all::add);
        return all;
    }
}

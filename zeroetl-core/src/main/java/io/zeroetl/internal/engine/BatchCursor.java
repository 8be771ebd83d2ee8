package io.zeroetl.internal.engine;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.internal.transform.FirstNames;
import io.zeroetl.spi.Batch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One batch, read from the queue as the applier asks: whole transactions until {@code batchSize} row
 * changes, {@code maxBatchBytes}, or {@code flushInterval} after the first event, whichever comes first,
 * checked only between transactions. A transaction that changes a table's definition ends its batch: a
 * target may lock a changed table for readers until the batch commits, so nothing more is added after it. What it reads is kept (up to a byte limit) so a failed attempt can be
 * repeated without the source. Which events concern replicated tables, and what the batch means for the
 * tables, {@link BatchTables} decides; this class keeps the boundaries and the replay.
 */
final class BatchCursor implements Batch {
    private static final long WAIT_SLICE_NANOS = 100_000_000L;

    private final EventQueue queue;
    private final EngineConfig config;
    private final Iterator<ChangeEvent> prefix;
    private long deadlineNanos;
    private boolean firstReturned;
    private boolean clockStarted;

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
    private boolean schemaChanged;
    private final BatchTables tables;
    private final FirstNames names;
    private Optional<Map<TableId, TableId>> firstNamesAfter;

    /**
     * A batch starting at {@code resumedFrom}; {@code prefix} (may be null) is what an earlier attempt
     * at this batch read, to be served again before the queue; {@code tables} decides which events concern
     * replicated tables and keeps what the batch means for them.
     */
    BatchCursor(
            EventQueue queue,
            EngineConfig config,
            Lsn resumedFrom,
            List<ChangeEvent> prefix,
            BatchTables tables,
            FirstNames names) {
        this.tables = tables;
        this.names = names;
        names.reading(tables.steps());
        this.queue = queue;
        this.config = config;
        this.prefix = prefix == null ? null : prefix.iterator();
        this.endPosition = resumedFrom;
        this.deadlineNanos = System.nanoTime() + config.flushInterval().toNanos();
    }

    @Override
    public ChangeEvent next() {
        if (ended) {
            return null;
        }
        if (firstReturned && !clockStarted) {
            // the flush interval counts from when the applier reads on after its first event: what it does then
            // (open a transaction, wait for a lock another pipeline on the target holds) is not the batch's
            // time to gather changes, and counting it would shrink a slow target's batches to one transaction
            clockStarted = true;
            deadlineNanos = System.nanoTime() + config.flushInterval().toNanos();
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
            ChangeEvent kept = tables.keep(event);
            if (kept != null) {
                account(kept);
                firstReturned = true;
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
        return schemaChanged
                || rows >= config.batchSize()
                || bytes >= config.maxBatchBytes()
                || System.nanoTime() >= deadlineNanos;
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
        if (tables.account(event)) {
            rows++;
        }
        if (event instanceof SchemaChangeEvent) {
            schemaChanged = true;
        }
        if (event instanceof BeginEvent begin) {
            inTransaction = true;
            if (pendingSince == null) {
                pendingSince = begin.commitTime();
            }
        } else if (event instanceof CommitEvent commit) {
            inTransaction = false;
            transactions++;
            endPosition = commit.endLsn();
            lastCommitTime = commit.commitTime();
        }
    }

    @Override
    public Lsn endPosition() {
        requireEnded();
        return endPosition;
    }

    @Override
    public Optional<Map<TableId, TableId>> firstNames() {
        if (!ended) {
            throw new IllegalStateException("firstNames() before the batch's end");
        }
        if (firstNamesAfter == null) {
            firstNamesAfter = names.after(tables.steps());
        }
        return firstNamesAfter;
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

    /** What this batch means for the tables. */
    BatchTables tables() {
        return tables;
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

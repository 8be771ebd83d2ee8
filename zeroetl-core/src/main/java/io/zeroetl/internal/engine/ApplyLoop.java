package io.zeroetl.internal.engine;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import io.zeroetl.Source;
import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.internal.transform.Transformer;
import io.zeroetl.internal.transform.TransformingBatch;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.spi.StreamRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier thread. It asks the applier where the target stands, starts a reader there, and applies
 * batch after batch. On a transient failure it waits (backoff) and applies the batch again, from what
 * it kept of it or, when the batch was too large to keep or the stream broke, from a new stream opened
 * at the target's position. Nothing is acknowledged that the target has not committed, so every
 * change takes effect exactly once.
 */
final class ApplyLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyLoop.class);
    private static final long PEEK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Engine engine;
    private final Source source;
    private final ChangeApplier applier;
    private final EngineConfig config;
    private final EventQueue queue;
    private final Backoff backoff;
    private final CountDownLatch applierDone = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile ReaderLoop reader;
    private volatile BatchCursor current;
    private volatile long lastApplyLagMillis;
    private int attempts;
    private final CopyProgress copyProgress;
    private final Set<TableId> copyRequests = ConcurrentHashMap.newKeySet();
    private final Transformer transformer;
    private final TableTransitions transitions;

    ApplyLoop(Engine engine, Source source, ChangeApplier applier) {
        this.engine = engine;
        this.source = source;
        this.applier = applier;
        this.config = engine.config();
        this.queue = new EventQueue(config.queueBytes());
        this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
        this.copyProgress = new CopyProgress(engine.tables());
        this.transformer = new Transformer(config.rules(), config.naming(), config.transforms());
        this.transformer.register(config.tables());
        this.transitions = new TableTransitions(config.pipelineId(), engine.tables(), engine.lifecycle(), this::requestCopy);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            Lsn resume = startApplier();
            if (resume != null) {
                applier.failedTables().forEach((target, reason) -> {
                    TableId table = transformer.sourceOf(target);
                    if (engine.tables().accepts(table)) {
                        engine.tables().set(table, TableState.FAILED, reason);
                    }
                });
                if (!resume.equals(Lsn.NONE)) {
                    applier.copiedTables().ifPresent(this::copyUncopied);
                }
                engine.positions().applied(resume);
                LOG.info("Pipeline {} resumes after {}", config.pipelineId(), resume);
                if (startReader()) {
                    applyBatches();
                }
            }
        } catch (RuntimeException e) {
            engine.fail(new ZeroEtlException(ErrorCode.INTERNAL, "The pipeline failed unexpectedly: " + e, e));
        } finally {
            applierDone.countDown();
            stopReader();
            try {
                applier.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the applier failed: {}", e.toString());
            }
            engine.settled();
            stopped.countDown();
        }
    }

    /**
     * Copies the selected tables whose copy the target never committed: a table that joined while running
     * (created, or newly selected) whose copy was cut off by a stop or a crash is in the publication but
     * has none of its earlier rows in the target.
     */
    private void copyUncopied(Set<TableId> copied) {
        for (TableId table : config.tables()) {
            if (!copied.contains(transformer.targetOf(table)) && engine.tables().accepts(table)) {
                LOG.info("Pipeline {}: {} has no committed copy in the target (a copy was cut off): copying it",
                        config.pipelineId(), table);
                engine.tables().set(table, TableState.SNAPSHOTTING, null);
                requestCopy(table);
            }
        }
    }

    /** Asks the reader to copy {@code table} again (pending requests survive a stream's reopening). */
    void requestCopy(TableId table) {
        copyRequests.add(table);
        ReaderLoop r = reader;
        if (r != null) {
            r.requestCopy(table);
        }
    }

    /** Asks the reader to stop; the loop ends at the next transaction boundary. */
    void stop() {
        ReaderLoop r = reader;
        if (r != null) {
            r.finish();
        }
    }

    boolean awaitStopped(Duration timeout) {
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void interrupt() {
        ReaderLoop r = reader;
        if (r != null) {
            r.abort();
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Source commit to target commit: of the oldest waiting change, or of the last batch when none waits. */
    long lagMillis() {
        BatchCursor cursor = current;
        Instant since = cursor == null ? null : cursor.pendingSince();
        if (since != null) {
            return Math.max(0, Duration.between(since, Instant.now()).toMillis());
        }
        // nothing in a batch: behind only while changes wait in the queue, else caught up
        return queue.isEmpty() ? 0 : lastApplyLagMillis;
    }

    private Lsn startApplier() {
        while (!engine.isClosing()) {
            engine.attempting();
            try {
                return applier.start(new ApplierContext(config.pipelineId(), config.tables(), transformer::sourceOf)).orElse(Lsn.NONE);
            } catch (ZeroEtlException e) {
                if (!retry(e)) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Starts a reader at the target's position; false when the pipeline is closing instead. */
    private boolean startReader() {
        if (engine.isClosing()) {
            return false;
        }
        engine.attempting();
        StreamRequest request = new StreamRequest(config.pipelineId(), config.tables(), engine.positions().applied());
        ReaderLoop next = new ReaderLoop(source.reader(), source.decoder(), request, queue, engine.positions(),
                applierDone, config.closeTimeout(), (table, why) -> {
                    copyRequests.remove(table);
                    engine.tables().set(table, TableState.FAILED, "cannot resync: " + why);
                });
        reader = next;
        copyRequests.forEach(next::requestCopy);
        config.threadFactory().newThread(next).start();
        if (engine.isClosing()) {
            next.finish();
        }
        try {
            if (next.awaitOpened()) {
                transitions.opened(next);
                engine.opened();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    private void applyBatches() {
        List<ChangeEvent> prefix = null;
        while (true) {
            Object head;
            try {
                // a batch to repeat goes at once: its events may be all there is until the source writes again
                head = prefix != null && !prefix.isEmpty() ? queue.peek(0) : queue.peek(PEEK_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (head == null && (prefix == null || prefix.isEmpty())) {
                continue;
            }
            if (head instanceof EventQueue.EndOfStream) {
                return;
            }
            if (head instanceof EventQueue.StreamFailed failed) {
                pollQuietly();
                if (!retry(asZeroEtl(failed.error())) || !rewind()) {
                    return;
                }
                prefix = null;
                continue;
            }
            BatchCursor cursor = new BatchCursor(queue, config, engine.tables()::accepts, engine.positions().applied(),
                    prefix, copyProgress).joining(change -> !change.after().columns().isEmpty()
                            && config.selects(change.table()) && !failed(change.table()));
            current = cursor;
            long began = System.nanoTime();
            try {
                applier.apply(transformer.active() ? new TransformingBatch(cursor, transformer) : cursor);
                if (!cursor.isEnded()) {
                    throw new ZeroEtlException(ErrorCode.INTERNAL, "The applier " + applier.getClass().getName()
                            + " returned before reading its whole batch; appliers must read until next() returns null");
                }
                // committed: its changes no longer count as behind (a waiter woken by the commit reads the lag)
                current = null;
                committed(cursor);
                Duration took = Duration.ofNanos(System.nanoTime() - began);
                tell(l -> l.batchApplied(cursor.transactions(), cursor.rows(), took));
                prefix = null;
            } catch (RuntimeException e) {
                if (cursor.abandoned()) {
                    LOG.info("Pipeline {}: batch abandoned on close; it will be applied on the next start",
                            config.pipelineId());
                    return;
                }
                if (cursor.streamFailure() != null) {
                    if (!retry(asZeroEtl(cursor.streamFailure())) || !rewind()) {
                        return;
                    }
                    prefix = null;
                    continue;
                }
                if (e instanceof TableFailedException failed) {
                    if (!markFailed(failed)) {
                        return;
                    }
                } else if (!retry(asZeroEtl(e))) {
                    return;
                }
                prefix = cursor.replayPrefix();
                if (prefix == null && !rewind()) {
                    return;
                }
            } finally {
                current = null;
            }
        }
    }

    private void committed(BatchCursor cursor) {
        // counts first: a waiter woken by the new position must see them
        engine.tables().add(cursor.counts());
        engine.throughput().record(cursor.rows());
        transitions.committed(cursor, copyRequests);
        engine.positions().applied(cursor.endPosition());
        if (cursor.lastCommitTime() != null) {
            lastApplyLagMillis = Math.max(0, Duration.between(cursor.lastCommitTime(), Instant.now()).toMillis());
        }
        if (attempts > 0) {
            LOG.info("Pipeline {} recovered after {} retries", config.pipelineId(), attempts);
        }
        attempts = 0;
        engine.recovered();
    }

    private boolean failed(TableId table) {
        var status = engine.tables().snapshot().get(table);
        return status != null && status.state() == TableState.FAILED;
    }

    /** Marks the tables FAILED; false (failing the pipeline) when none of them was still going. */
    private boolean markFailed(TableFailedException failed) {
        boolean any = false;
        for (var entry : failed.reasons().entrySet()) {
            TableId table = transformer.sourceOf(entry.getKey());
            if (engine.tables().accepts(table)) {
                engine.tables().set(table, TableState.FAILED, entry.getValue());
                any = true;
            }
        }
        if (!any) {
            engine.fail(new ZeroEtlException(ErrorCode.INTERNAL, "The applier reported failures only for tables that"
                    + " were not being applied: " + failed.getMessage(), failed));
        }
        return any;
    }

    /** Waits before the next attempt; false (after failing the pipeline if need be) when there is none. */
    private boolean retry(ZeroEtlException e) {
        if (!e.isRetriable()) {
            engine.fail(e);
            return false;
        }
        attempts++;
        if (attempts > config.maxRetries()) {
            engine.fail(new ZeroEtlException(ErrorCode.RETRIES_EXHAUSTED, "Gave up after " + config.maxRetries()
                    + " retries; the last error: " + e.getMessage() + ". Fix the cause and start the pipeline again:"
                    + " it resumes where the target left off.", e));
            return false;
        }
        Duration delay = backoff.delay(attempts);
        LOG.warn("Pipeline {}: {} (retry {} of {} in {} ms)", config.pipelineId(), e.getMessage(), attempts,
                config.maxRetries(), delay.toMillis());
        engine.transientError(e);
        int attempt = attempts;
        tell(l -> l.retrying(e, attempt, delay));
        return engine.pause(delay);
    }

    /** Tells each listener; what one throws is logged and ignored. */
    private void tell(Consumer<PipelineListener> call) {
        for (PipelineListener listener : config.listeners()) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Pipeline {}: a listener failed: {}", config.pipelineId(), e.toString());
            }
        }
    }

    /** Drops the stream and everything queued, and reads again from the target's position. */
    private boolean rewind() {
        stopReader();
        queue.clear();
        return startReader();
    }

    private void stopReader() {
        ReaderLoop r = reader;
        if (r == null) {
            return;
        }
        if (!engine.isClosing() || engine.lifecycle().get() == PipelineState.FAILED) {
            r.abort();
        }
        try {
            if (!r.awaitExit(config.closeTimeout())) {
                r.abort();
                if (!r.awaitExit(Duration.ofSeconds(5))) {
                    LOG.warn("The reader thread of pipeline {} did not stop", config.pipelineId());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader = null;
    }

    private void pollQuietly() {
        try {
            queue.poll(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ZeroEtlException asZeroEtl(RuntimeException e) {
        return e instanceof ZeroEtlException z ? z
                : new ZeroEtlException(ErrorCode.INTERNAL, "Unexpected failure: " + e, e);
    }
}

package io.zeroetl.internal.engine;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.PipelineState;
import io.zeroetl.Source;
import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.Target;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.internal.transform.Transformer;
import io.zeroetl.internal.transform.TransformingBatch;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.ChangeApplier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier thread. It waits for the source's lease (standing by while another instance of the pipeline
 * is active), asks a new applier where the target stands (claiming the target for this instance), starts a
 * reader there, and applies batch after batch; it steps back to standing by when it loses the lease, when the
 * target refuses its commit because another instance claimed it, or when it cannot commit for the failover
 * timeout. On a transient failure it waits (backoff) and applies the batch again, from what
 * it kept of it or, when the batch was too large to keep or the stream broke, from a new stream opened
 * at the target's position. Nothing is acknowledged that the target has not committed, so every
 * change takes effect exactly once.
 */
final class ApplyLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyLoop.class);
    private static final long PEEK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Control control;
    private final Source source;
    private final Target target;
    private volatile ChangeApplier applier;
    private final EngineConfig config;
    private final EventQueue queue;
    private final Retrier retrier;
    private LeaseKeeper keeper;
    /** Why this instance is to step down to STANDBY; null while it stays active. */
    private volatile String stepDown;

    private final CountDownLatch applierDone = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile BatchCursor current;
    private volatile long lastApplyLagMillis;
    private final CopyProgress copyProgress;
    private final Readers readers;
    private final Transformer transformer;
    private final TableTransitions transitions;

    ApplyLoop(Control control, Source source, Target target) {
        this.control = control;
        this.source = source;
        this.target = target;
        this.config = control.config();
        this.queue = new EventQueue(config.queueBytes());
        this.retrier = new Retrier(control);
        this.copyProgress = new CopyProgress(control.tables());
        this.transformer = new Transformer(config.rules(), config.naming(), config.transforms(), target::foldName);
        this.transformer.register(config.tables());
        this.transitions =
                new TableTransitions(config.pipelineId(), control.tables(), control.lifecycle(), this::requestCopy);
        this.readers = new Readers(control, source, queue, applierDone, transitions);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            keeper = new LeaseKeeper(source.reader().lease(config.pipelineId(), config.failoverTimeout()), control);
            boolean first = true;
            while (keeper.acquire()) {
                if (!first) {
                    // another instance ran the pipeline meanwhile: the target says where each table stands
                    control.tables().setAll(TableState.PENDING);
                    readers.copyRequests().clear();
                }
                first = false;
                stepDown = null;
                applier = target.applier();
                keeper.startRenewing(this::leaseLost);
                try {
                    runActive();
                } finally {
                    keeper.stopRenewing();
                    if (control.isClosing()) {
                        // the reader acknowledges what was committed once told the applier is done
                        applierDone.countDown();
                    }
                    readers.stop();
                    queue.clear();
                    closeApplier();
                }
                String why = stepDown;
                if (why == null
                        || control.isClosing()
                        || control.lifecycle().get().isFinal()) {
                    break;
                }
                LOG.warn("Pipeline {} steps down to STANDBY: {}", config.pipelineId(), why);
                control.recovered();
                control.lifecycle().moveTo(PipelineState.STANDBY);
                keeper.release();
                // give a standby the time to take the lease before asking for it again
                if (!control.pause(config.standbyPollInterval().multipliedBy(4).plusSeconds(1))) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            control.fail(new ZeroEtlException(ErrorCode.INTERNAL, "The pipeline failed unexpectedly: " + e, e));
        } finally {
            applierDone.countDown();
            readers.stop();
            closeApplier();
            if (keeper != null) {
                keeper.release();
            }
            control.settled();
            stopped.countDown();
        }
    }

    /** As the active instance: from the target's position, applies until closed, failed or stepping down. */
    private void runActive() {
        Lsn resume = startApplier();
        if (resume == null) {
            return;
        }
        applier.failedTables().forEach((target, reason) -> {
            TableId table = transformer.sourceOf(target);
            if (control.tables().accepts(table)) {
                control.tables().set(table, TableState.FAILED, reason);
            }
        });
        if (!resume.equals(Lsn.NONE)) {
            applier.copiedTables()
                    .ifPresent(copied -> transitions.copyUncopied(copied, config.tables(), transformer::targetOf));
        }
        control.positions().applied(resume);
        LOG.info("Pipeline {} resumes after {}", config.pipelineId(), resume);
        if (readers.start()) {
            applyBatches();
        }
    }

    private void closeApplier() {
        ChangeApplier a = applier;
        applier = null;
        if (a != null) {
            try {
                a.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the applier failed: {}", e.toString());
            }
        }
    }

    /** The lease is gone (from the keeper's thread): the stream stops and the apply thread steps down. */
    private void leaseLost() {
        stepDown = "it lost its lease on the source";
        readers.abort();
        queue.signal(new EventQueue.StreamFailed(new ZeroEtlException(ErrorCode.FENCED, "lost the lease")));
    }

    /** Asks the reader to copy {@code table} again (pending requests survive a stream's reopening). */
    void requestCopy(TableId table) {
        readers.requestCopy(table);
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
        readers.abort();
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
        while (!control.isClosing()) {
            control.attempting();
            try {
                return applier.start(new ApplierContext(config.pipelineId(), config.tables(), transformer::sourceOf))
                        .orElse(Lsn.NONE);
            } catch (ZeroEtlException e) {
                if (!retrier.retry(e)) {
                    return null;
                }
            }
        }
        return null;
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
            if (stepDown != null) {
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
                if (stepDown != null || !retrier.retry(asZeroEtl(failed.error())) || !rewind()) {
                    return;
                }
                prefix = null;
                continue;
            }
            BatchTables tables = new BatchTables(
                    control.tables()::accepts,
                    change -> !change.after().columns().isEmpty()
                            && config.selects(change.table())
                            && control.tables().stateOf(change.table()) != TableState.FAILED,
                    copyProgress);
            BatchCursor cursor =
                    new BatchCursor(queue, config, control.positions().applied(), prefix, tables);
            current = cursor;
            long began = System.nanoTime();
            try {
                applier.apply(transformer.active() ? new TransformingBatch(cursor, transformer) : cursor);
                if (!cursor.isEnded()) {
                    throw new ZeroEtlException(
                            ErrorCode.INTERNAL,
                            "The applier " + applier.getClass().getName()
                                    + " returned before reading its whole batch; appliers must read until next() returns null");
                }
                // committed: its changes no longer count as behind (a waiter woken by the commit reads the lag)
                current = null;
                committed(cursor);
                Duration took = Duration.ofNanos(System.nanoTime() - began);
                Retrier.tell(config, l -> l.batchApplied(cursor.transactions(), cursor.rows(), took));
                prefix = null;
            } catch (RuntimeException e) {
                if (cursor.abandoned()) {
                    LOG.info(
                            "Pipeline {}: batch abandoned on close; it will be applied on the next start",
                            config.pipelineId());
                    return;
                }
                if (e instanceof ZeroEtlException z && z.code() == ErrorCode.FENCED) {
                    if (!keeper.exclusive()) {
                        // no lease to wait on: two instances would take turns claiming the target
                        control.fail(new ZeroEtlException(
                                ErrorCode.FENCED,
                                z.getMessage() + ". This source cannot tell"
                                        + " instances apart (its reader keeps no lease), so run one instance of a pipeline at a"
                                        + " time",
                                z));
                        return;
                    }
                    stepDown = z.getMessage();
                    return;
                }
                if (cursor.streamFailure() != null) {
                    if (stepDown != null || !retrier.retry(asZeroEtl(cursor.streamFailure())) || !rewind()) {
                        return;
                    }
                    prefix = null;
                    continue;
                }
                if (e instanceof TableFailedException failed) {
                    if (!transitions.failed(failed, transformer::sourceOf)) {
                        control.fail(new ZeroEtlException(
                                ErrorCode.INTERNAL,
                                "The applier reported failures only for" + " tables that were not being applied: "
                                        + failed.getMessage(),
                                failed));
                        return;
                    }
                } else if (!retrier.retry(asZeroEtl(e), began)) {
                    return;
                } else if (keeper.exclusive()
                        && unreachable(asZeroEtl(e))
                        && retrier.failingLongerThan(config.failoverTimeout())) {
                    stepDown = "it could not reach the target for the failover timeout ("
                            + config.failoverTimeout().toSeconds() + " s); an instance that can may take over";
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
        control.tables().add(cursor.tables().counts());
        control.throughput().record(cursor.rows());
        transitions.committed(cursor.tables(), readers.copyRequests());
        control.positions().applied(cursor.endPosition());
        if (cursor.lastCommitTime() != null) {
            lastApplyLagMillis = Math.max(
                    0, Duration.between(cursor.lastCommitTime(), Instant.now()).toMillis());
        }
        retrier.succeeded();
    }

    /** Drops the stream and everything queued, and reads again from the target's position. */
    private boolean rewind() {
        readers.stop();
        queue.clear();
        return readers.start();
    }

    /** Whether {@code e} says the target could not be reached (not that it refused or was busy). */
    private static boolean unreachable(ZeroEtlException e) {
        return e.code() == ErrorCode.CONNECTION || e.code() == ErrorCode.TIMEOUT;
    }

    private void pollQuietly() {
        try {
            queue.poll(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ZeroEtlException asZeroEtl(RuntimeException e) {
        return e instanceof ZeroEtlException z
                ? z
                : new ZeroEtlException(ErrorCode.INTERNAL, "Unexpected failure: " + e, e);
    }
}

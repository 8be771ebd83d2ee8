package io.zeroetl.internal.engine;

import io.zeroetl.ErrorCode;
import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.TableRules;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.internal.transform.Transformer;
import io.zeroetl.internal.transform.TransformingBatch;
import io.zeroetl.spi.ChangeApplier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active instance's batch after batch: reads a batch of whole transactions from the queue, hands it to the
 * applier, and on commit moves the books (positions, table states, counts); on a transient failure waits
 * (backoff) and applies the batch again, from what it kept of it or, when the batch was too large to keep or
 * the stream broke, from a new stream opened at the target's position; a table's failure fails that table;
 * a refused claim (another instance took over), a lost lease or a target unreachable for the failover timeout
 * end it with a reason to step down.
 */
final class BatchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoop.class);
    private static final long PEEK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Control control;
    private final EngineConfig config;
    private final EventQueue queue;
    private final Readers readers;
    private final Retrier retrier;
    private final Transformer transformer;
    private final TableTransitions transitions;
    private final CopyProgress copyProgress;
    /** Why this instance is to step down to STANDBY; null while it stays active. */
    private volatile String stepDown;

    private volatile BatchCursor current;
    private volatile long lastApplyLagMillis;

    BatchLoop(
            Control control,
            EventQueue queue,
            Readers readers,
            Retrier retrier,
            Transformer transformer,
            TableTransitions transitions,
            CopyProgress copyProgress) {
        this.control = control;
        this.config = control.config();
        this.queue = queue;
        this.readers = readers;
        this.retrier = retrier;
        this.transformer = transformer;
        this.transitions = transitions;
        this.copyProgress = copyProgress;
    }

    /** A new activation: no reason to step down yet. */
    void stayActive() {
        stepDown = null;
    }

    /** This instance is to step down for {@code reason} (from any thread); the loop ends at its next turn. */
    void stepDown(String reason) {
        stepDown = reason;
    }

    /** {@return why this instance is to step down, or null} */
    String stepDownReason() {
        return stepDown;
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

    /**
     * Applies batches with {@code applier} until the stream ends, the pipeline fails or closes, or this
     * instance is to step down ({@link #stepDownReason()}); {@code keeper} says whether the source's lease
     * makes instances exclusive.
     */
    void run(ChangeApplier applier, LeaseKeeper keeper) {
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
                    // a table whose first copy was asked for (it joined, or its copy never committed)
                    t -> control.tables().stateOf(t) == TableState.SNAPSHOTTING
                            && readers.copyRequests().contains(t),
                    change -> !change.after().columns().isEmpty()
                            && config.selects(change.table())
                            // a FAILED table joins again only as a new table of that name
                            && (control.tables().stateOf(change.table()) != TableState.FAILED
                                    || BatchTables.creates(change)),
                    this::refusal,
                    copyProgress);
            BatchCursor cursor =
                    new BatchCursor(queue, config, control.positions().applied(), prefix, tables, control.names());
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
                    if (!transitions.failed(failed)) {
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

    /**
     * Why the rename of replicated table {@code from} to {@code to} is not followed, or null when it is: the new
     * name must be selected, the table whole in the target (a table renamed earlier in this batch has no state of
     * its own yet), and its rules must go with it — the new name's own rules, if any, the same, and the target able
     * to record the name the rules know it by.
     */
    private String refusal(TableId from, TableId to) {
        TableState state = control.tables().stateOf(from);
        if (!config.selects(to)) {
            return "its new name is not selected";
        }
        if (state != TableState.SYNCED && state != null) {
            return "it was " + state + ", not whole in the target";
        }
        TableRules rules = transformer.rulesOf(from);
        if (transformer.namesRules(to) && transformer.rulesOf(to) != rules) {
            return "rules name its new name, other than those it had";
        }
        if (rules != TableRules.NONE && !control.names().recorded()) {
            return "its rules name its old name, and the target records no names to keep them by across restarts";
        }
        return null;
    }

    private void committed(BatchCursor cursor) {
        // the names first: the transitions below look tables up by them
        control.names().commit(cursor.firstNames());
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

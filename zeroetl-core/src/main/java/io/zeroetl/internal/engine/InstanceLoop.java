package io.zeroetl.internal.engine;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.PipelineState;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.Target;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.internal.transform.Transformer;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.ChangeApplier;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier thread: one instance's cycle. It waits for the source's lease (standing by while another
 * instance of the pipeline is active), asks a new applier where the target stands (claiming the target for
 * this instance), starts a reader there and lets {@link BatchLoop} apply batch after batch; it steps back to
 * standing by when it loses the lease, when the target refuses its commit because another instance claimed
 * it, or when it cannot commit for the failover timeout. Nothing is acknowledged that the target has not
 * committed, so every change takes effect exactly once.
 */
final class InstanceLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceLoop.class);

    private final Control control;
    private final Source source;
    private final Target target;
    private volatile ChangeApplier applier;
    private final EngineConfig config;
    private final EventQueue queue;
    private final Retrier retrier;
    private LeaseKeeper keeper;

    private final CountDownLatch applierDone = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;
    private final Readers readers;
    private final Transformer transformer;
    private final TableTransitions transitions;
    private final BatchLoop batches;

    InstanceLoop(Control control, Source source, Target target) {
        this.control = control;
        this.source = source;
        this.target = target;
        this.config = control.config();
        this.queue = new EventQueue(config.queueBytes());
        this.retrier = new Retrier(control);
        this.transformer = control.transformer(target);
        this.transformer.register(config.tables());
        this.transitions = new TableTransitions(
                config.pipelineId(),
                control.tables(),
                control.lifecycle(),
                this::requestCopy,
                transformer::sourceOf,
                transformer::renamed,
                config::selects,
                source::partitionAncestors);
        this.readers = new Readers(control, source, queue, applierDone, transitions);
        this.batches = new BatchLoop(
                control, queue, readers, retrier, transformer, transitions, new CopyProgress(control.tables()));
    }

    /** Source commit to target commit: of the oldest waiting change, or of the last batch when none waits. */
    long lagMillis() {
        return batches.lagMillis();
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
                batches.stayActive();
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
                String why = batches.stepDownReason();
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
        // the names renamed tables go by in the settings first: target tables are mapped back to sources by them
        control.names().restore(applier.firstNames());
        transformer.register(config.tables());
        Set<TableId> unknown = new TreeSet<>(config.absentWithRules());
        unknown.removeAll(control.names().committed().values());
        unknown.removeAll(transitions.restore(applier, !resume.equals(Lsn.NONE), config.tables()));
        if (!unknown.isEmpty()) {
            // neither the first name of a table renamed since nor a table the target holds (renamed or dropped while
            // the pipeline was down: it ends DROPPED): a mistake in the rules
            control.fail(ZeroEtlException.configuration(
                    "table", unknown.iterator().next() + " has rules but does not exist in the source"));
            return;
        }
        control.positions().applied(resume);
        if (resume.equals(Lsn.NONE)) {
            LOG.info("Pipeline {} starts afresh: the target holds no position for it yet", config.pipelineId());
        } else {
            LOG.info("Pipeline {} resumes after {}", config.pipelineId(), resume);
        }
        if (readers.start()) {
            batches.run(applier, keeper);
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
        batches.stepDown("it lost its lease on the source");
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

    private Lsn startApplier() {
        while (!control.isClosing()) {
            control.attempting();
            try {
                return applier.start(new ApplierContext(
                                config.pipelineId(), config.tables(), transformer::sourceOf, control.names()::of))
                        .orElse(Lsn.NONE);
            } catch (ZeroEtlException e) {
                if (!retrier.retry(e)) {
                    return null;
                }
            }
        }
        return null;
    }
}

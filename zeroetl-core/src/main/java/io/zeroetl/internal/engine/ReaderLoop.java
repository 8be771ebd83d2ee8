package io.zeroetl.internal.engine;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.spi.StreamItem;
import io.zeroetl.spi.StreamOpening;
import io.zeroetl.spi.StreamRequest;
import io.zeroetl.spi.WalReader;
import io.zeroetl.spi.WalStream;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader thread: opens the stream at the target's position, queues its events, and
 * acknowledges. It alone talks to the stream, so acknowledgement needs no locking.
 *
 * <p>The acknowledgement rule: the source is only ever told positions the target committed. When no
 * transaction is in flight (nothing delivered is unapplied and no transaction is half-read), it may also
 * be told the latest progress position, so an idle slot, or one busy with tables we do not replicate,
 * does not hold back the source's log.
 */
final class ReaderLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReaderLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final WalReader reader;
    private final StreamRequest request;
    private final EventQueue queue;
    private final Positions positions;
    private final Shutdown shutdown;
    private final CountDownLatch applierDone;
    private final Duration closeTimeout;
    private final CountDownLatch exited = new CountDownLatch(1);
    private final CountDownLatch openOutcome = new CountDownLatch(1);
    private volatile boolean open;
    private volatile boolean snapshotting;
    private volatile Map<TableId, String> unavailable = Map.of();
    private volatile Map<TableId, String> notes = Map.of();
    private volatile Set<TableId> copiesPending = Set.of();
    private final Queue<TableId> copies = new ConcurrentLinkedQueue<>();
    private final BiConsumer<TableId, String> copyRefused;

    private volatile boolean abort;
    private boolean interrupted;
    private volatile Thread thread;
    private boolean inTransaction;
    private boolean skipping;
    private Lsn lastDeliveredEnd = Lsn.NONE;
    private Lsn lastProgress = Lsn.NONE;
    private Lsn lastAcknowledged = Lsn.NONE;
    private boolean started;

    ReaderLoop(
            WalReader reader,
            StreamRequest request,
            EventQueue queue,
            Positions positions,
            Shutdown shutdown,
            CountDownLatch applierDone,
            Duration closeTimeout,
            BiConsumer<TableId, String> copyRefused) {
        this.copyRefused = copyRefused;
        this.reader = reader;
        this.request = request;
        this.queue = queue;
        this.positions = positions;
        this.shutdown = shutdown;
        this.applierDone = applierDone;
        this.closeTimeout = closeTimeout;
        this.lastAcknowledged = request.resumeAfter();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        WalStream stream = null;
        try {
            stream = reader.open(request);
            StreamOpening opening = stream.opening();
            snapshotting = opening.startsWithCopy();
            unavailable = opening.unavailable();
            notes = opening.notes();
            copiesPending = opening.copiesPending();
            open = true;
            openOutcome.countDown();
            while (!shutdown.requested() && !abort && !interrupted) {
                acknowledge(stream);
                for (TableId table = copies.poll(); table != null; table = copies.poll()) {
                    TableId refused = table;
                    stream.copyTable(table).ifPresent(reason -> copyRefused.accept(refused, reason));
                }
                StreamItem item = stream.read(POLL);
                if (item == null) {
                    continue;
                }
                if (!started && !item.position().equals(Lsn.NONE)) {
                    started = true;
                    positions.streamStarted(item.position());
                }
                positions.serverEnd(item.serverEnd());
                if (item.isProgress()) {
                    lastProgress = lastProgress.max(item.position());
                } else {
                    deliver(item.event());
                }
            }
            if (interrupted) {
                throw new InterruptedException("interrupted while handing an event to the applier");
            }
            if (shutdown.requested() && !abort) {
                queue.signal(new EventQueue.EndOfStream());
                if (!applierDone.await(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("The applier did not finish within {}; acknowledging what it committed", closeTimeout);
                }
                acknowledge(stream);
            }
        } catch (InterruptedException e) {
            if (!abort) {
                queue.signal(new EventQueue.EndOfStream());
            }
        } catch (ZeroEtlException e) {
            if (!abort) {
                queue.signal(new EventQueue.StreamFailed(e));
            }
        } catch (RuntimeException e) {
            if (!abort) {
                queue.signal(new EventQueue.StreamFailed(
                        new ZeroEtlException(ErrorCode.INTERNAL, "The change stream failed unexpectedly: " + e, e)));
            }
        } finally {
            if (stream != null) {
                try {
                    stream.close();
                } catch (RuntimeException e) {
                    LOG.warn("Closing the change stream failed: {}", e.toString());
                }
            }
            openOutcome.countDown();
            exited.countDown();
        }
    }

    /** Copy {@code table} again; done on the reader thread at its next turn. */
    void requestCopy(TableId table) {
        copies.add(table);
    }

    /** Tables the opened stream cannot deliver, with the reason. */
    Map<TableId, String> unavailableTables() {
        return unavailable;
    }

    /** Tables the opened stream copies before streaming them (newly selected ones). */
    Set<TableId> copiesPending() {
        return copiesPending;
    }

    /** What of each table the opened stream cannot deliver exactly. */
    Map<TableId, String> notes() {
        return notes;
    }

    /** Whether the opened stream begins with an initial copy of the tables. */
    boolean snapshotting() {
        return snapshotting;
    }

    /** Waits until the stream opened or failed to; returns whether it is open. */
    boolean awaitOpened() throws InterruptedException {
        openOutcome.await();
        return open;
    }

    /** Stop now without a word to the queue (the engine reopens the stream from the target's position). */
    void abort() {
        abort = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Waits for the thread to end. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return exited.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acknowledge(WalStream stream) {
        Lsn applied = positions.applied();
        boolean idle = !inTransaction && !applied.isBefore(lastDeliveredEnd);
        Lsn target = idle ? applied.max(lastProgress) : applied;
        if (target.isAfter(lastAcknowledged)) {
            stream.acknowledge(target);
            lastAcknowledged = target;
            positions.confirmed(target);
        }
        if (idle) {
            positions.processed(target);
        }
    }

    /**
     * Hands one decoded event to the queue. Once interrupted it takes nothing more: the rest of the message's
     * events are dropped with it, and the loop ends at the stream's return (the stream is read again from the
     * target's position next time, so nothing is lost).
     */
    private void deliver(ChangeEvent event) {
        if (interrupted) {
            return;
        }
        if (event instanceof BeginEvent begin) {
            // A transaction that committed before the target's position is already there: drop it whole.
            skipping = begin.commitLsn().isBefore(request.resumeAfter());
            inTransaction = !skipping;
            if (skipping) {
                LOG.debug("Skipping transaction {} committed at {}, already applied", begin.xid(), begin.commitLsn());
                return;
            }
        } else if (skipping) {
            if (event instanceof CommitEvent) {
                skipping = false;
            }
            return;
        }
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            interrupted = true;
            return;
        }
        if (event instanceof CommitEvent commit) {
            inTransaction = false;
            lastDeliveredEnd = commit.endLsn();
        }
    }
}

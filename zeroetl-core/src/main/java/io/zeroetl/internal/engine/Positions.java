package io.zeroetl.internal.engine;

import io.zeroetl.Lsn;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pipeline's positions, shared by its threads: applied (committed in the target), confirmed
 * (acknowledged to the source), processed (everything before it is applied or irrelevant), and the
 * source's log end as last seen.
 */
final class Positions {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile Lsn applied = Lsn.NONE;
    private volatile Lsn confirmed = Lsn.NONE;
    private volatile Lsn processed = Lsn.NONE;
    private volatile Lsn serverEnd = Lsn.NONE;
    private volatile Lsn streamStart = Lsn.NONE;

    Lsn applied() {
        return applied;
    }

    Lsn confirmed() {
        return confirmed;
    }

    Lsn processed() {
        return processed;
    }

    Lsn serverEnd() {
        return serverEnd;
    }

    /** The target committed everything up to {@code position}. */
    void applied(Lsn position) {
        lock.lock();
        try {
            applied = applied.max(position);
            processed = processed.max(position);
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The source was told everything up to {@code position} is durable. */
    void confirmed(Lsn position) {
        confirmed = confirmed.max(position);
    }

    /** Nothing before {@code position} is left to apply. */
    void processed(Lsn position) {
        lock.lock();
        try {
            processed = processed.max(position);
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Where the stream began: nothing before it is the pipeline's to apply. */
    void streamStarted(Lsn position) {
        streamStart = streamStart.max(position);
    }

    /**
     * Bytes of the source's log not yet processed: from the last position processed (or the stream's
     * beginning, before anything was) to the log's end as last seen; 0 when nothing is pending.
     */
    long lagBytes() {
        Lsn from = processed.max(streamStart);
        return from.equals(Lsn.NONE) ? 0 : serverEnd.bytesAfter(from);
    }

    /** The source's log reached {@code position}. */
    void serverEnd(Lsn position) {
        if (position.isAfter(serverEnd)) {
            serverEnd = position;
        }
    }

    /** Wakes waiters, e.g. when the pipeline failed or closed. */
    void wakeAll() {
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code nanos} for the next change; returns the time left. */
    long awaitChange(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            return advanced.awaitNanos(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200)));
        } finally {
            lock.unlock();
        }
    }
}

package io.zeroetl.internal.engine;

import io.zeroetl.change.ChangeEvent;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue between the reader and the applier thread, bounded by the bytes its events hold rather than
 * by their count. One event larger than the whole bound still passes when the queue is empty, so a huge
 * row cannot wedge the pipeline. Items are {@link ChangeEvent}s or the {@link Signal}s of the reader.
 */
final class EventQueue {
    /** Control items from the reader, in stream order with the events. */
    sealed interface Signal permits EndOfStream, StreamFailed {}

    /** The reader stopped because the pipeline is closing. */
    record EndOfStream() implements Signal {}

    /** The reader stopped on an error. */
    record StreamFailed(RuntimeException error) implements Signal {}

    private final long capacityBytes;
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long usedBytes;
    private long peakBytes;

    EventQueue(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** Adds {@code event}, waiting while the queue is full. */
    void put(ChangeEvent event) throws InterruptedException {
        long size = Math.max(1, event.estimatedBytes());
        lock.lockInterruptibly();
        try {
            while (!items.isEmpty() && usedBytes + size > capacityBytes) {
                notFull.await();
            }
            items.addLast(event);
            usedBytes += size;
            peakBytes = Math.max(peakBytes, usedBytes);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code signal} without waiting for room. */
    void signal(Signal signal) {
        lock.lock();
        try {
            items.addLast(signal);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The first item without removing it, waiting up to {@code timeoutNanos}; null if none came. */
    Object peek(long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            return awaitItem(timeoutNanos) ? items.peekFirst() : null;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the first item, waiting up to {@code timeoutNanos}; null if none came. */
    Object poll(long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (!awaitItem(timeoutNanos)) {
                return null;
            }
            Object item = items.pollFirst();
            if (item instanceof ChangeEvent event) {
                usedBytes -= Math.max(1, event.estimatedBytes());
                // a reader waiting for room is woken once half the queue is free (or all of it), not for every
                // event taken: else a full queue hands over one event per wake-up, a thread switch each
                if (usedBytes <= capacityBytes / 2 || items.isEmpty()) {
                    notFull.signalAll();
                }
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Waits, holding the lock, until an item is there or {@code timeoutNanos} passed; whether one is. */
    private boolean awaitItem(long timeoutNanos) throws InterruptedException {
        long left = timeoutNanos;
        while (items.isEmpty()) {
            if (left <= 0) {
                return false;
            }
            left = notEmpty.awaitNanos(left);
        }
        return true;
    }

    /** Removes and returns the first item, waiting as long as it takes. */
    Object take() throws InterruptedException {
        Object item;
        do {
            item = poll(TimeUnit.SECONDS.toNanos(1));
        } while (item == null);
        return item;
    }

    /** Drops everything, waking a reader waiting for room. */
    void clear() {
        lock.lock();
        try {
            items.clear();
            usedBytes = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the queue holds nothing. */
    boolean isEmpty() {
        lock.lock();
        try {
            return items.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes the queue ever held. */
    long peakBytes() {
        lock.lock();
        try {
            return peakBytes;
        } finally {
            lock.unlock();
        }
    }
}

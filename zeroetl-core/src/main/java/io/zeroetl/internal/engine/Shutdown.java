package io.zeroetl.internal.engine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's one shutdown signal: given once by {@code close()}, obeyed by every loop. Waits that
 * should end at shutdown wait on it instead of sleeping. Thread-safe.
 */
final class Shutdown {
    private final CountDownLatch signal = new CountDownLatch(1);

    /** Gives the signal; {@return whether this call gave it (false: it had been given already)} */
    synchronized boolean request() {
        boolean first = signal.getCount() > 0;
        signal.countDown();
        return first;
    }

    /** {@return whether the signal was given} */
    boolean requested() {
        return signal.getCount() == 0;
    }

    /**
     * Waits {@code delay} unless the signal comes first; {@return true when the whole delay passed, false at
     * shutdown or when the thread is interrupted (its flag then set again)}
     */
    boolean pause(Duration delay) {
        try {
            return !signal.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package io.zeroetl.internal.engine;

import java.util.ArrayDeque;

/** Row changes applied per second over the last ten seconds. Thread-safe. */
final class Throughput {
    private static final long WINDOW_NANOS = 10_000_000_000L;

    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    synchronized void record(long rows) {
        long now = System.nanoTime();
        samples.addLast(new long[] {now, rows});
        trim(now);
    }

    synchronized double rowsPerSecond() {
        long now = System.nanoTime();
        trim(now);
        if (samples.isEmpty()) {
            return 0;
        }
        long rows = 0;
        for (long[] sample : samples) {
            rows += sample[1];
        }
        long span = Math.max(now - samples.peekFirst()[0], 1_000_000_000L);
        return rows * 1e9 / span;
    }

    private void trim(long now) {
        while (!samples.isEmpty() && now - samples.peekFirst()[0] > WINDOW_NANOS) {
            samples.removeFirst();
        }
    }
}

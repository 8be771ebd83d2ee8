package io.zeroetl.internal.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: attempt n waits between half and all of min(max, initial * 2^(n-1)). */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;

    Backoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** How long to wait before retry number {@code attempt} (1 for the first). */
    Duration delay(int attempt) {
        long ceiling = initialNanos;
        for (int i = 1; i < attempt && ceiling < maxNanos; i++) {
            ceiling = ceiling * 2;
        }
        ceiling = Math.min(ceiling, maxNanos);
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofNanos(jittered);
    }
}

package io.zeroetl.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on standard output. */
final class Bench {
    private Bench() {}

    static void log(String line) {
        System.out.println("[bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + line);
        System.out.flush();
    }
}

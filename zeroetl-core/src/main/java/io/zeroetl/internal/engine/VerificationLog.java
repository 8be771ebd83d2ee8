package io.zeroetl.internal.engine;

import io.zeroetl.Drift;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.Verification;
import io.zeroetl.VerificationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the continuous verification has done on this instance, for the status. Thread-safe. */
final class VerificationLog {
    private static final int KEPT_DRIFTS = 50;

    private final Verification settings;
    private final Map<TableId, Instant> lastVerified = new HashMap<>();
    private final Map<TableId, String> skipped = new HashMap<>();
    private final Deque<Drift> drifts = new ArrayDeque<>();
    private long tablesVerified;
    private long rowsVerified;
    private long passes;
    private long driftRows;
    private String unavailable;
    /** When this instance began verifying (it became active), or null while it is not verifying. */
    private Instant since;

    VerificationLog(Verification settings) {
        this.settings = settings;
    }

    synchronized void began(Instant now) {
        since = now;
    }

    synchronized void paused() {
        since = null;
    }

    synchronized void verified(TableId table, long rows, Instant at) {
        tablesVerified++;
        rowsVerified += rows;
        lastVerified.put(table, at);
        skipped.remove(table);
    }

    synchronized void unavailable(String why) {
        unavailable = why;
        since = null;
    }

    synchronized void skipped(TableId table, String why) {
        skipped.put(table, why);
    }

    synchronized void drift(Drift drift) {
        tablesVerified++;
        driftRows += drift.rows();
        skipped.remove(drift.table());
        drifts.addLast(drift);
        while (drifts.size() > KEPT_DRIFTS) {
            drifts.removeFirst();
        }
    }

    synchronized void passCompleted() {
        passes++;
    }

    synchronized VerificationStatus snapshot(Map<TableId, TableStatus> tables, Instant now) {
        Duration lag = Duration.ZERO;
        if (settings.enabled() && since != null) {
            for (TableStatus status : tables.values()) {
                if (status.state() == TableState.SYNCED) {
                    Instant last = lastVerified.getOrDefault(status.table(), since);
                    Duration age = Duration.between(last.isBefore(since) ? since : last, now);
                    lag = age.compareTo(lag) > 0 ? age : lag;
                }
            }
        }
        return new VerificationStatus(
                settings,
                tablesVerified,
                rowsVerified,
                passes,
                lag,
                lastVerified,
                skipped,
                driftRows,
                List.copyOf(drifts),
                unavailable);
    }
}

package io.zeroetl.internal.engine;

import io.zeroetl.Drift;
import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.TableValidation;
import io.zeroetl.Target;
import io.zeroetl.Verification;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.internal.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The continuous verification's thread: while this instance is active, it compares one SYNCED table after
 * another with its source (a {@link Validator} run: one position on both sides, differences compared again at
 * later positions before they count), spreading the tables over the configured interval and keeping to the
 * rows-per-second budget, and acts on drift as configured. Where a pass starts follows the wall clock (table
 * {@code i} of {@code n}, by name, is due in the {@code i}-th slot of each interval), so a restarted instance
 * goes on where the schedule stands instead of beginning with the first table again.
 */
final class Verifier implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final int SAMPLE = 10;
    /** Differing rows counted exactly; a drift with more says so. */
    private static final int COUNTED = 1_000;

    private final Control control;
    private final Source source;
    private final Target target;
    private final Verification settings;
    private final VerificationLog log;
    private final Consumer<TableId> copyAgain;
    /**
     * Tables found drifting and not found equal since: HEALED, copied again once (a second drift is reported, not
     * healed again); REPORTED, told once (it is not told again while it keeps differing).
     */
    private final Map<TableId, Drifting> drifting = new HashMap<>();

    private Function<TableId, TableValidation> comparison = this::compare;

    private enum Drifting {
        HEALED,
        REPORTED
    }

    /** {@code copyAgain}: copies a table again while the others stream (what a host's resync does). */
    Verifier(Control control, Source source, Target target, VerificationLog log, Consumer<TableId> copyAgain) {
        this.control = control;
        this.source = source;
        this.target = target;
        this.settings = control.config().verification();
        this.log = log;
        this.copyAgain = copyAgain;
    }

    @Override
    public void run() {
        Shutdown shutdown = control.shutdown();
        int next = -1;
        int done = 0;
        while (!shutdown.requested()) {
            if (!active()) {
                log.paused();
                next = -1;
                shutdown.pause(IDLE);
                continue;
            }
            List<TableId> tables =
                    List.copyOf(new TreeSet<>(control.tables().snapshot().keySet()));
            Duration slot = settings.interval().dividedBy(Math.max(1, tables.size()));
            if (next < 0) {
                log.began(Instant.now());
                // the first table waits one slot: a pipeline that just started is copying or catching up
                if (!shutdown.pause(slot) || !comparable()) {
                    break;
                }
                next = firstTable(System.currentTimeMillis(), slot, tables.size());
                done = 0;
                continue;
            }
            if (tables.isEmpty()) {
                shutdown.pause(IDLE);
                continue;
            }
            long started = System.nanoTime();
            long rows = verify(tables.get(next % tables.size()));
            next = (next + 1) % tables.size();
            if (++done >= tables.size()) {
                log.passCompleted();
                done = 0;
            }
            Duration budget = Duration.ofMillis(rows * 1000 / settings.rowsPerSecond());
            Duration wait = (budget.compareTo(slot) > 0 ? budget : slot).minusNanos(System.nanoTime() - started);
            if (!wait.isNegative()) {
                shutdown.pause(wait);
            }
        }
    }

    /**
     * Whether both sides can be compared at all: a host's source or target without digests cannot, and is told
     * once, not at every table.
     */
    private boolean comparable() {
        try {
            // opened and closed at once: only whether they can be opened matters here
            source.digests().close();
            target.digests(control.config().pipelineId()).close();
            return true;
        } catch (ZeroEtlException e) {
            if (e.code() != ErrorCode.CONFIGURATION) {
                return true;
            }
            LOG.warn(
                    "Continuous verification of pipeline {} is off: {}. Turn it off with Verification.off() to say so",
                    control.config().pipelineId(),
                    e.getMessage());
            log.unavailable(e.getMessage());
            return false;
        }
    }

    /**
     * The table a pass begins with at {@code nowMillis}: the one whose slot of the interval that is, so that an
     * instance that restarts (or takes over) goes on where the schedule stands.
     */
    static int firstTable(long nowMillis, Duration slot, int tables) {
        return tables == 0 ? 0 : (int) (nowMillis / Math.max(1, slot.toMillis()) % tables);
    }

    private boolean active() {
        return control.lifecycle().get() == PipelineState.STREAMING && control.failure() == null;
    }

    /**
     * Compares {@code table}'s target with its source: a validation of that table alone. When rows differ, it
     * returns only once this instance has taken in every batch the target may have committed meanwhile: a batch
     * that tells of a schema change the table cannot follow is committed before the table is marked for its copy
     * again, and until that copy the target lacks the table's later changes by design, not by drift.
     */
    private TableValidation compare(TableId table) {
        EngineConfig config = control.config();
        TableValidation result = new Validator(
                        source,
                        target,
                        config.pipelineId(),
                        Validator.DEFAULT_TIMEOUT,
                        COUNTED,
                        Validator.DEFAULT_RECHECKS,
                        control.transformer(target))
                .whileAlive(this::requireActive)
                .withStates(t -> control.tables().snapshot().get(t))
                .run(List.of(table))
                .tables()
                .get(0);
        if (result.outcome() == TableValidation.Outcome.MISMATCH
                && !result.differences().isEmpty()) {
            awaitTakenIn();
        }
        return result;
    }

    /** Waits until this instance has processed everything up to the source's current position. */
    private void awaitTakenIn() {
        Lsn now = source.reader().currentPosition();
        long deadline = System.nanoTime() + Validator.DEFAULT_TIMEOUT.toNanos();
        while (control.positions().processed().isBefore(now)) {
            requireActive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline did not reach the source's position " + now + " within "
                        + Validator.DEFAULT_TIMEOUT);
            }
            try {
                control.positions().awaitChange(Validator.DEFAULT_TIMEOUT.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Compares tables with {@code compare} instead of validating them; for tests. */
    Verifier comparingWith(Function<TableId, TableValidation> compare) {
        this.comparison = compare;
        return this;
    }

    /** Verifies {@code table}; {@return the source rows compared} */
    long verify(TableId table) {
        TableStatus status = control.tables().snapshot().get(table);
        if (status == null || status.state() != TableState.SYNCED) {
            log.skipped(table, status == null ? "no longer replicated" : "it is " + status.state());
            return 0;
        }
        long transitions = control.tables().transitionsOf(table);
        TableValidation result;
        try {
            result = comparison.apply(table);
        } catch (RuntimeException e) {
            if (!control.shutdown().requested() && active()) {
                LOG.info("Could not verify {} this time: {}", table, e.getMessage());
                log.skipped(table, "could not be verified last time: " + e.getMessage());
            }
            return 0;
        }
        switch (result.outcome()) {
            case CLEAN -> {
                drifting.remove(table);
                log.verified(table, result.sourceRows(), Instant.now());
            }
            case MISMATCH -> mismatch(table, result, transitions);
            default -> log.skipped(table, result.reason());
        }
        return result.sourceRows();
    }

    private void mismatch(TableId table, TableValidation result, long transitions) {
        long rows = result.differences().size();
        if (rows == 0) {
            // nothing confirmed: rows kept changing, or more differed at first than could be checked
            log.skipped(
                    table,
                    "inconclusive last time: " + (result.reason() != null ? result.reason() : "rows kept changing"));
            return;
        }
        TableStatus now = control.tables().snapshot().get(table);
        if (now == null
                || now.state() != TableState.SYNCED
                || control.tables().transitionsOf(table) != transitions
                || !active()) {
            // it failed, was or is being copied, or this instance stepped back meanwhile: its target was not meant to
            // match throughout
            log.skipped(table, "its state changed while it was verified");
            return;
        }
        boolean more = result.moreDifferences();
        String found = rows + (more ? " or more" : "") + " row(s) of " + table + " differ from the source";
        Drifting before = drifting.get(table);
        if (before == Drifting.REPORTED) {
            log.skipped(table, "still differs from the source, as reported");
            return;
        }
        String outcome = switch (settings.action()) {
            case HEAL -> {
                if (before == Drifting.HEALED) {
                    // a copy did not make it equal: copying it again and again would not either
                    drifting.put(table, Drifting.REPORTED);
                    yield "not copied again: it differed again after its last copy, so something other than a lost"
                            + " change keeps it apart (a target-side rule, a type the target cannot hold as is);"
                            + " reported once, until it is found equal";
                }
                drifting.put(table, Drifting.HEALED);
                copyAgain.accept(table);
                yield "copied again while the other tables stream";
            }
            case FAIL_TABLE -> {
                control.tables()
                        .set(
                                table,
                                TableState.FAILED,
                                "continuous verification found " + found + " in the target (e.g. "
                                        + result.differences().get(0) + "); resync the table to copy it again");
                yield "table failed";
            }
            case REPORT -> {
                drifting.put(table, Drifting.REPORTED);
                yield "reported only, once until it is found equal";
            }
        };
        Drift drift = new Drift(
                table,
                rows,
                more,
                result.differences().subList(0, (int) Math.min(SAMPLE, rows)),
                Instant.now(),
                settings.action(),
                outcome);
        LOG.warn(
                "Drift: {} in the target ({}), e.g. {}",
                found,
                outcome,
                result.differences().get(0));
        log.drift(drift);
        for (PipelineListener listener : control.config().listeners()) {
            try {
                listener.driftFound(drift);
            } catch (RuntimeException e) {
                LOG.warn("A listener failed on a drift of {}: {}", table, e.toString());
            }
        }
    }

    /** Stops a verification waiting for the target when this instance stops being the active one. */
    private void requireActive() {
        if (control.shutdown().requested() || !active()) {
            throw new IllegalStateException("the pipeline stopped streaming on this instance");
        }
    }
}

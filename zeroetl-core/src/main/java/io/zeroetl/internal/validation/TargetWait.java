package io.zeroetl.internal.validation;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.spi.SourceDigests;
import io.zeroetl.spi.TargetDigests;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** Waiting for the target to reach the source's position before both sides are compared. */
final class TargetWait {
    /** How often the source is asked whether the pipeline reads it, while waiting for the target. */
    private static final long READING_CHECK_NANOS = 1_000_000_000L;
    /**
     * How long nothing must read for the pipeline before it is taken as not running: longer than a takeover and
     * than a pipeline's reconnecting after its source restarted (3 s was not: ServerRestartIT's validation once
     * called a pipeline in its retry backoff stopped).
     */
    private static final long IDLE_NANOS = 30_000_000_000L;

    private final String pipelineId;
    private final Duration timeout;
    private final Runnable alive;

    /**
     * Where the comparison stands: the source's position the target has reached, and the tables whose copy the
     * target still awaited when the timeout passed (to be left uncompared).
     */
    record Settled(Lsn position, Set<TableId> copying) {}

    TargetWait(String pipelineId, Duration timeout, Runnable alive) {
        this.pipelineId = pipelineId;
        this.timeout = timeout;
        this.alive = alive;
    }

    /**
     * Waits until the target has applied {@code position}. Fails at once for a pipeline the target never saw
     * (listing those it knows), and within 30 s for one that is not running (the source says no one
     * reads for it), since both sides are compared at one position and a stopped pipeline never reaches it.
     */
    void await(SourceDigests src, TargetDigests tgt, Lsn position) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long idleSince = -1;
        long lastAsked = started - READING_CHECK_NANOS;
        while (true) {
            Lsn applied = tgt.refresh();
            if (!applied.isBefore(position)) {
                return;
            }
            // no position and nothing reading for it: no pipeline of that id ever ran (one copying its tables
            // for the first time has no position yet either, but reads the source)
            if (applied.equals(Lsn.NONE)
                    && src.reading(pipelineId).map(reading -> !reading).orElse(false)) {
                Set<String> known = tgt.pipelines();
                throw new ZeroEtlException(
                        ErrorCode.CONFIGURATION,
                        "The target holds no position for pipeline " + pipelineId + ", and nothing reads the source"
                                + " for it: no pipeline of that id has committed there, and none is running. "
                                + (known.isEmpty()
                                        ? "The target holds no pipeline's position yet: start the pipeline, let it"
                                                + " catch up, then validate"
                                        : "Pipelines the target knows: " + String.join(", ", known)
                                                + "; name one with pipelineId(...)"));
            }
            alive.run();
            long now = System.nanoTime();
            if (now - lastAsked >= READING_CHECK_NANOS) {
                lastAsked = now;
                boolean idle = src.reading(pipelineId).map(reading -> !reading).orElse(false);
                idleSince = !idle ? -1 : idleSince < 0 ? now : idleSince;
                if (idleSince >= 0 && now - idleSince >= IDLE_NANOS) {
                    throw new ZeroEtlException(
                            ErrorCode.ILLEGAL_STATE,
                            "Pipeline " + pipelineId + " is not running: nothing has read the source for it for "
                                    + IDLE_NANOS / 1_000_000_000L + " s, and the"
                                    + " target has applied it up to " + applied + ", behind the source's "
                                    + position + ". Validation compares both sides at one position, so start the"
                                    + " pipeline and validate while it runs (Pipeline.validate())");
                }
            }
            if (now > deadline) {
                throw new ZeroEtlException(
                        ErrorCode.TIMEOUT,
                        "The target has applied pipeline " + pipelineId + " up to "
                                + applied + ", not yet the source's " + position + ", after " + timeout.toSeconds()
                                + " s: the pipeline is running but behind. Validate again once it has caught up, or"
                                + " raise the validation's timeout");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZeroEtlException(ErrorCode.ILLEGAL_STATE, "Interrupted while waiting for the target");
            }
        }
    }

    /**
     * Takes the source's position and waits for the target to reach it, again until no table of {@code tables}
     * awaits its copy in the target (a resync, a table created again at the source): such a table holds what it
     * held before its copy, and compared then it would differ. Gives up waiting for copies at the timeout.
     * {@code tables} and the tables returned are target ids, as the target names them.
     */
    Settled settle(SourceDigests src, TargetDigests tgt, Set<TableId> tables) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Lsn position = src.refresh();
            await(src, tgt, position);
            Set<TableId> copying = new HashSet<>(tgt.copying());
            copying.retainAll(tables);
            if (copying.isEmpty() || System.nanoTime() > deadline) {
                return new Settled(position, copying);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZeroEtlException(ErrorCode.ILLEGAL_STATE, "Interrupted while waiting for the target");
            }
        }
    }
}

package io.zeroetl.internal.engine;

import io.zeroetl.Naming;
import io.zeroetl.PipelineListener;
import io.zeroetl.TableId;
import io.zeroetl.TableRules;
import io.zeroetl.Verification;
import io.zeroetl.spi.Transform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The settings of one pipeline, as {@link io.zeroetl.PipelineBuilder} checked them (its Javadoc says each
 * option and its default; the values are checked there, by {@link Options}). Immutable.
 *
 * @param pipelineId names the slot, publication and position record
 * @param tables the selected tables
 * @param selection which tables created while running join the selection
 * @param batchSize row changes per batch
 * @param maxBatchBytes bytes per batch
 * @param flushInterval the longest a change waits for its batch to close
 * @param maxBufferedBytes the memory for changes in flight
 * @param maxRetries transient failures retried in a row
 * @param initialBackoff the first retry's delay
 * @param maxBackoff the longest retry delay
 * @param closeTimeout how long close waits for the current batch
 * @param startTimeout how long start retries an endpoint it cannot reach
 * @param failoverTimeout how long an active instance may be silent or unable to commit before a standby takes over
 * @param standbyPollInterval how often a standby asks whether it may take over
 * @param threadFactory makes the pipeline's threads
 * @param listeners hear about state changes
 * @param rules rules per table (tables without rules are absent)
 * @param naming how target names derive from source names
 * @param transforms host transforms, in order
 * @param verification how the pipeline verifies its own output while it runs
 * @param absentWithRules tables rules name that the source does not have (not among {@code tables}): each must be
 *     the first name of a table renamed at the source since, as the target recorded it
 */
public record EngineConfig(
        String pipelineId,
        Set<TableId> tables,
        Predicate<TableId> selection,
        int batchSize,
        long maxBatchBytes,
        Duration flushInterval,
        long maxBufferedBytes,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration closeTimeout,
        Duration startTimeout,
        Duration failoverTimeout,
        Duration standbyPollInterval,
        ThreadFactory threadFactory,
        List<PipelineListener> listeners,
        Map<TableId, TableRules> rules,
        Naming naming,
        List<Transform> transforms,
        Verification verification,
        Set<TableId> absentWithRules) {

    /** Copies the collections; a null thread factory means named daemon threads. */
    public EngineConfig {
        Objects.requireNonNull(pipelineId, "pipelineId");
        tables = Set.copyOf(tables);
        Objects.requireNonNull(selection, "selection");
        listeners = List.copyOf(listeners);
        rules = Map.copyOf(rules);
        Objects.requireNonNull(naming, "naming");
        transforms = List.copyOf(transforms);
        Objects.requireNonNull(verification, "verification");
        absentWithRules = Set.copyOf(absentWithRules);
        threadFactory = threadFactory != null ? threadFactory : daemonThreads(pipelineId);
    }

    /** Whether a table created while running belongs to the selection (named, or matching a pattern). */
    public boolean selects(TableId table) {
        return selection.test(table);
    }

    /** Bytes the reader-to-applier queue may hold. */
    public long queueBytes() {
        return Math.max(1, maxBufferedBytes / 4);
    }

    /** Bytes of a batch kept for a retry without going back to the source. */
    public long replayBytes() {
        return maxBufferedBytes / 2;
    }

    private static ThreadFactory daemonThreads(String pipelineId) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "zeroetl-" + pipelineId + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

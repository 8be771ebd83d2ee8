package io.zeroetl;

import io.zeroetl.internal.engine.Engine;
import io.zeroetl.internal.engine.EngineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * The options of a pipeline, then {@link #start()}. Each setter checks its argument and names the
 * option when it rejects it. Not thread-safe; the started pipeline copies what it needs.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@link #tables(String...)}</td><td>required</td></tr>
 *   <tr><td>{@link #pipelineId(String)}</td><td>{@code zeroetl}</td></tr>
 *   <tr><td>{@link #batchSize(int)}</td><td>10,000 rows</td></tr>
 *   <tr><td>{@link #maxBatchBytes(long)}</td><td>32 MB</td></tr>
 *   <tr><td>{@link #flushInterval(Duration)}</td><td>1 s</td></tr>
 *   <tr><td>{@link #maxBufferedBytes(long)}</td><td>64 MB</td></tr>
 *   <tr><td>{@link #maxRetries(int)}</td><td>10</td></tr>
 *   <tr><td>{@link #retryBackoff(Duration, Duration)}</td><td>500 ms doubling up to 60 s</td></tr>
 *   <tr><td>{@link #closeTimeout(Duration)}</td><td>30 s</td></tr>
 *   <tr><td>{@link #threadFactory(ThreadFactory)}</td><td>named daemon threads</td></tr>
 * </table>
 */
public final class PipelineBuilder {
    private final Source source;
    private final Target target;
    private final Set<TableId> tables = new LinkedHashSet<>();
    private final List<PipelineListener> listeners = new ArrayList<>();
    private final EngineConfig.Builder config = EngineConfig.builder();

    PipelineBuilder(Source source, Target target) {
        this.source = source;
        this.target = target;
    }

    /** The tables to replicate, as {@code schema.table} (see {@link TableId#parse(String)}). */
    public PipelineBuilder tables(String... names) {
        Objects.requireNonNull(names, "tables");
        for (String name : names) {
            try {
                tables.add(TableId.parse(name));
            } catch (IllegalArgumentException e) {
                throw new ZeroEtlException(ErrorCode.CONFIGURATION, "tables: " + e.getMessage());
            }
        }
        return this;
    }

    /** The tables to replicate. */
    public PipelineBuilder tables(Collection<TableId> ids) {
        Objects.requireNonNull(ids, "tables");
        ids.forEach(id -> tables.add(Objects.requireNonNull(id, "tables: null table")));
        return this;
    }

    /**
     * The pipeline's id: it names the source's replication slot and publication and the target's
     * position record, so two pipelines on one source need different ids. Lower-case letters, digits
     * and underscores, starting with a letter, at most 40 characters.
     */
    public PipelineBuilder pipelineId(String id) {
        config.pipelineId(id);
        return this;
    }

    /** A batch closes once it holds this many row changes (at the end of a transaction). */
    public PipelineBuilder batchSize(int rows) {
        config.batchSize(rows);
        return this;
    }

    /** A batch closes once its changes take this many bytes (at the end of a transaction). */
    public PipelineBuilder maxBatchBytes(long bytes) {
        config.maxBatchBytes(bytes);
        return this;
    }

    /** A batch closes this long after its first change arrived (at the end of a transaction). */
    public PipelineBuilder flushInterval(Duration interval) {
        config.flushInterval(interval);
        return this;
    }

    /**
     * The memory the pipeline may hold for changes in flight, whatever the size of a source transaction:
     * a quarter for the queue between reader and applier, half to keep a batch for a quick retry
     * (larger batches are read again from the source instead).
     */
    public PipelineBuilder maxBufferedBytes(long bytes) {
        config.maxBufferedBytes(bytes);
        return this;
    }

    /** How many times in a row a transient failure is retried before the pipeline fails. */
    public PipelineBuilder maxRetries(int retries) {
        config.maxRetries(retries);
        return this;
    }

    /** The first retry waits about {@code initial}, each next one twice as long, at most {@code max}. */
    public PipelineBuilder retryBackoff(Duration initial, Duration max) {
        config.retryBackoff(initial, max);
        return this;
    }

    /** How long {@link Pipeline#close()} waits for the current batch before abandoning it. */
    public PipelineBuilder closeTimeout(Duration timeout) {
        config.closeTimeout(timeout);
        return this;
    }

    /** Makes the pipeline's threads (two per pipeline); default: named daemon threads. */
    public PipelineBuilder threadFactory(ThreadFactory factory) {
        config.threadFactory(factory);
        return this;
    }

    /** Hears about state changes. */
    public PipelineBuilder listener(PipelineListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Checks the options, connects, finds the position to resume from, and starts replicating.
     * Returns once the pipeline is streaming (or snapshotting), or retrying a transient failure.
     *
     * @throws ZeroEtlException naming the option when the configuration is wrong, or with the permanent
     *     failure (authentication, permission, source prerequisites) that stopped the start
     */
    public Pipeline start() {
        if (tables.isEmpty()) {
            throw new ZeroEtlException(ErrorCode.CONFIGURATION,
                    "tables: name at least one table to replicate, e.g. .tables(\"public.orders\")");
        }
        EngineConfig built = config.tables(tables).listeners(listeners).build();
        return Engine.start(source, target, built);
    }
}

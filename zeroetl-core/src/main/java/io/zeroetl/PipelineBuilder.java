package io.zeroetl;

import io.zeroetl.internal.engine.Engine;
import io.zeroetl.internal.engine.EngineConfig;
import io.zeroetl.internal.engine.Options;
import io.zeroetl.internal.transform.RuleCheck;
import io.zeroetl.internal.transform.Transformer;
import io.zeroetl.spi.Transform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

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
 *   <tr><td>{@link #startTimeout(Duration)}</td><td>30 s</td></tr>
 *   <tr><td>{@link #failoverTimeout(Duration)}</td><td>10 s</td></tr>
 *   <tr><td>{@link #standbyPollInterval(Duration)}</td><td>500 ms</td></tr>
 *   <tr><td>{@link #threadFactory(ThreadFactory)}</td><td>named daemon threads</td></tr>
 *   <tr><td>{@link #include(String...)}, {@link #exclude(String...)}</td><td>none</td></tr>
 *   <tr><td>{@link #table(String, Consumer)}</td><td>tables land as they are</td></tr>
 *   <tr><td>{@link #naming(Naming)}</td><td>{@link Naming#AS_IS}</td></tr>
 *   <tr><td>{@link #transform(Transform)}</td><td>none</td></tr>
 *   <tr><td>{@link #verification(Verification)}</td><td>every table every 10 minutes, drift healed</td></tr>
 * </table>
 */
public final class PipelineBuilder {
    private final Source source;
    private final Target target;
    private final Set<TableId> tables = new LinkedHashSet<>();
    private final List<PipelineListener> listeners = new ArrayList<>();
    private String pipelineId = "zeroetl";
    private int batchSize = 10_000;
    private long maxBatchBytes = 32L << 20;
    private Duration flushInterval = Duration.ofSeconds(1);
    private long maxBufferedBytes = 64L << 20;
    private int maxRetries = 10;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private Duration startTimeout = Duration.ofSeconds(30);
    private Duration failoverTimeout = Duration.ofSeconds(10);
    private Duration standbyPollInterval = Duration.ofMillis(500);
    private ThreadFactory threadFactory;
    private final List<TablePattern> includes = new ArrayList<>();
    private final List<TablePattern> excludes = new ArrayList<>();
    private final Map<TableId, TableRules> rules = new LinkedHashMap<>();
    private final List<Transform> transforms = new ArrayList<>();
    private Naming naming = Naming.AS_IS;
    private Verification verification = Verification.DEFAULT;

    PipelineBuilder(Source source, Target target) {
        this.source = source;
        this.target = target;
    }

    /**
     * The tables to replicate, as {@code schema.table} (see {@link TableId#parse(String)}).
     *
     * @param names the tables, e.g. {@code public.orders}
     * @return this builder
     */
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

    /**
     * The tables to replicate.
     *
     * @param ids the tables
     * @return this builder
     */
    public PipelineBuilder tables(Collection<TableId> ids) {
        Objects.requireNonNull(ids, "tables");
        ids.forEach(id -> tables.add(Objects.requireNonNull(id, "tables: null table")));
        return this;
    }

    /**
     * The pipeline's id: it names the source's replication slot and publication and the target's
     * position record, so two pipelines on one source need different ids. Lower-case letters, digits
     * and underscores, starting with a letter, at most 40 characters.
     *
     * @param id the id (default {@code zeroetl})
     * @return this builder
     */
    public PipelineBuilder pipelineId(String id) {
        this.pipelineId = Options.pipelineId(id);
        return this;
    }

    /**
     * A batch closes once it holds this many row changes (at the end of a transaction).
     *
     * @param rows row changes per batch (default 10,000)
     * @return this builder
     */
    public PipelineBuilder batchSize(int rows) {
        this.batchSize = (int) Options.atLeast("batchSize", rows, 1, "row");
        return this;
    }

    /**
     * A batch closes once its changes take this many bytes (at the end of a transaction).
     *
     * @param bytes bytes per batch (default 32 MB)
     * @return this builder
     */
    public PipelineBuilder maxBatchBytes(long bytes) {
        this.maxBatchBytes = Options.atLeast("maxBatchBytes", bytes, 1024, "bytes");
        return this;
    }

    /**
     * A batch closes this long after its first change arrived (at the end of a transaction).
     *
     * @param interval the longest a change waits for its batch to close (default 1 s)
     * @return this builder
     */
    public PipelineBuilder flushInterval(Duration interval) {
        this.flushInterval = Options.between("flushInterval", interval, Duration.ofMillis(1), Duration.ofHours(1));
        return this;
    }

    /**
     * The memory the pipeline may hold for changes in flight, whatever the size of a source transaction:
     * a quarter for the queue between reader and applier, half to keep a batch for a quick retry
     * (larger batches are read again from the source instead).
     *
     * @param bytes the memory bound (default 64 MB)
     * @return this builder
     */
    public PipelineBuilder maxBufferedBytes(long bytes) {
        this.maxBufferedBytes = Options.atLeast("maxBufferedBytes", bytes, 1L << 20, "bytes (1 MB)");
        return this;
    }

    /**
     * How many times in a row a transient failure is retried before the pipeline fails.
     *
     * @param retries retries in a row (default 10)
     * @return this builder
     */
    public PipelineBuilder maxRetries(int retries) {
        this.maxRetries = (int) Options.atLeast("maxRetries", retries, 0, "retries");
        return this;
    }

    /**
     * The first retry waits about {@code initial}, each next one twice as long, at most {@code max}.
     *
     * @param initial the first retry's delay (default 500 ms)
     * @param max the longest delay (default 60 s)
     * @return this builder
     */
    public PipelineBuilder retryBackoff(Duration initial, Duration max) {
        this.initialBackoff = Options.positive("retryBackoff", initial);
        this.maxBackoff = Options.between("retryBackoff", max, initial, null);
        return this;
    }

    /**
     * How long {@link Pipeline#close()} waits for the current batch to end: a batch standing between two source
     * transactions is committed; one in the middle of a transaction is rolled back at once and applied again on
     * the next start. Past the timeout (plus 5 s), close interrupts the pipeline's threads and returns.
     *
     * @param timeout the wait (default 30 s)
     * @return this builder
     */
    public PipelineBuilder closeTimeout(Duration timeout) {
        this.closeTimeout = Options.between("closeTimeout", timeout, Duration.ZERO, null);
        return this;
    }

    /**
     * How long {@link #start()} keeps retrying a source or target it cannot reach (wrong host or port, a
     * server still starting) before it throws the last error; a failure no retry can fix (TLS mismatch,
     * authentication, missing privileges) throws at once. Once started, such failures are retried in the
     * background ({@link #maxRetries(int)}). A start that waits on the source itself (e.g. a new
     * replication slot waiting for running transactions to end) is not cut off.
     *
     * @param timeout the time to keep retrying (default 30 s)
     * @return this builder
     */
    public PipelineBuilder startTimeout(Duration timeout) {
        this.startTimeout = Options.positive("startTimeout", timeout);
        return this;
    }

    /**
     * Several instances may run one pipeline (same pipelineId, source and target): one is active, the others
     * are {@link PipelineState#STANDBY}. This is how long the active one may go silent towards the source
     * (paused, cut off from it) before a standby takes over, and how long it keeps trying to commit to a
     * target it cannot reach before it steps down so that a standby that can may take over. An instance
     * killed or closed is taken over at once, whatever this says.
     *
     * @param timeout the failover timeout (default 10 s; at least 1 s)
     * @return this builder
     */
    public PipelineBuilder failoverTimeout(Duration timeout) {
        this.failoverTimeout = Options.between("failoverTimeout", timeout, Duration.ofSeconds(1), null);
        return this;
    }

    /**
     * How often a standby instance asks whether the active one is gone: the longest a takeover waits after
     * the active instance stopped or died.
     *
     * @param interval the interval (default 500 ms)
     * @return this builder
     */
    public PipelineBuilder standbyPollInterval(Duration interval) {
        this.standbyPollInterval = Options.positive("standbyPollInterval", interval);
        return this;
    }

    /**
     * Makes the pipeline's threads (a reader, an applier, a verifier unless verification is off, and while it is
     * active one that renews its lease);
     * default: named daemon threads.
     *
     * @param factory makes the threads
     * @return this builder
     */
    public PipelineBuilder threadFactory(ThreadFactory factory) {
        this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
        return this;
    }

    /**
     * Also replicates the source's tables matching any of {@code patterns}: globs over {@code schema.table}
     * ({@code *} any characters, {@code ?} one; {@code "Quoted"} parts taken literally) or, between slashes,
     * regular expressions ({@code /sales\.order_[0-9]+/}). Resolved against the source's tables at start.
     *
     * @param patterns globs over {@code schema.table}
     * @return this builder
     */
    public PipelineBuilder include(String... patterns) {
        for (String p : patterns) {
            includes.add(TablePattern.of(p, "include"));
        }
        return this;
    }

    /**
     * Leaves out the tables matching any of {@code patterns} (as {@link #include(String...)}), named or included.
     *
     * @param patterns globs over {@code schema.table}
     * @return this builder
     */
    public PipelineBuilder exclude(String... patterns) {
        for (String p : patterns) {
            excludes.add(TablePattern.of(p, "exclude"));
        }
        return this;
    }

    /**
     * Replicates {@code table} ({@code schema.table}) shaped by the rules {@code rules} sets; see {@link TableRules}.
     *
     * @param table the source table, {@code schema.table}
     * @param rules sets the table's rules on the builder it is given
     * @return this builder
     */
    public PipelineBuilder table(String table, Consumer<TableRules.Builder> rules) {
        TableId id;
        try {
            id = TableId.parse(table);
        } catch (IllegalArgumentException e) {
            throw ZeroEtlException.configuration("table", e.getMessage());
        }
        TableRules.Builder builder = TableRules.builder();
        rules.accept(builder);
        this.rules.put(id, builder.build());
        tables.add(id);
        return this;
    }

    /**
     * How target names are derived from source names.
     *
     * @param naming the policy (default {@link Naming#AS_IS})
     * @return this builder
     */
    public PipelineBuilder naming(Naming naming) {
        this.naming = Objects.requireNonNull(naming, "naming");
        return this;
    }

    /**
     * Adds a host transform, applied after the built-in rules and earlier transforms.
     *
     * @param transform the transform
     * @return this builder
     */
    public PipelineBuilder transform(Transform transform) {
        transforms.add(Objects.requireNonNull(transform, "transform"));
        return this;
    }

    /**
     * How the pipeline verifies its own output while it runs (default {@link Verification#DEFAULT}; off with
     * {@link Verification#off()}).
     *
     * @param settings interval, action on drift and budget
     * @return this builder
     */
    public PipelineBuilder verification(Verification settings) {
        this.verification = Objects.requireNonNull(settings, "verification");
        return this;
    }

    /**
     * Hears about state changes.
     *
     * @param listener the listener; called on the pipeline's threads
     * @return this builder
     */
    public PipelineBuilder listener(PipelineListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Checks the options, connects, finds the position to resume from, and starts replicating.
     * Returns once the pipeline is streaming (or snapshotting), or retrying a transient failure.
     *
     * @return the running pipeline; close it to stop
     * @throws ZeroEtlException naming the option when the configuration is wrong, or with the permanent
     *     failure (authentication, permission, source prerequisites) that stopped the start
     */
    public Pipeline start() {
        Set<TableId> matched = TablePattern.selected(tables, includes, excludes, source::listTables);
        Set<TableId> whole = TablePattern.wholeTables(matched, tables, source.partitionAncestors(matched));
        Set<TableId> absent = RuleCheck.check(
                source, rules, naming, new Transformer(rules, naming, transforms, target::foldName), whole);
        Set<TableId> selected = new HashSet<>(whole);
        selected.removeAll(absent);
        Set<TableId> named = Set.copyOf(tables);
        List<TablePattern> in = List.copyOf(includes);
        List<TablePattern> out = List.copyOf(excludes);
        EngineConfig built = new EngineConfig(
                pipelineId,
                selected,
                t -> (named.contains(t) || in.stream().anyMatch(p -> p.matches(t)))
                        && out.stream().noneMatch(p -> p.matches(t)),
                batchSize,
                maxBatchBytes,
                flushInterval,
                maxBufferedBytes,
                maxRetries,
                initialBackoff,
                maxBackoff,
                closeTimeout,
                startTimeout,
                failoverTimeout,
                standbyPollInterval,
                threadFactory,
                listeners,
                rules,
                naming,
                transforms,
                verification,
                absent);
        return Engine.start(source, target, built);
    }
}

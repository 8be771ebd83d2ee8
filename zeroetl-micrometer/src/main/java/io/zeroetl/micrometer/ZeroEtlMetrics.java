package io.zeroetl.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.zeroetl.Drift;
import io.zeroetl.ErrorCode;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import io.zeroetl.PipelineStatus;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.ZeroEtlException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A pipeline's lag, changes, batches, copies, table states and retries as Micrometer meters, for the
 * registry a service already exports (Prometheus, CloudWatch, Datadog ...).
 *
 * <pre>{@code
 * ZeroEtlMetrics metrics = new ZeroEtlMetrics(Tags.of("pipeline", "orders"));
 * metrics.bindTo(registry);
 * Pipeline pipeline = ZeroEtl.from(source).to(target).tables("public.orders").listener(metrics).start();
 * metrics.watch(pipeline);
 * }</pre>
 *
 * <p>Meters (each with the tags given here):
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code zeroetl.lag.bytes}</td><td>gauge (bytes)</td><td>source log not yet processed</td></tr>
 *   <tr><td>{@code zeroetl.lag}</td><td>time gauge</td><td>age of the oldest source commit not yet applied</td></tr>
 *   <tr><td>{@code zeroetl.changes.applied}</td><td>function counter, tags {@code table}, {@code operation}
 *       (insert, update, delete)</td><td>row changes committed in the target</td></tr>
 *   <tr><td>{@code zeroetl.copy.rows}, {@code zeroetl.copy.estimated.rows}</td><td>gauges, tag {@code table}</td>
 *       <td>rows of the table's current or last copy, and the source's estimate</td></tr>
 *   <tr><td>{@code zeroetl.tables}</td><td>gauge, tag {@code state}</td><td>tables in each state</td></tr>
 *   <tr><td>{@code zeroetl.state}</td><td>gauge, tag {@code state}</td><td>1 for the pipeline's state, else 0</td></tr>
 *   <tr><td>{@code zeroetl.batch}</td><td>timer</td><td>each batch, from its first event to its commit</td></tr>
 *   <tr><td>{@code zeroetl.batch.rows}, {@code zeroetl.batch.transactions}</td><td>distribution summaries</td>
 *       <td>each batch's size</td></tr>
 *   <tr><td>{@code zeroetl.retries}</td><td>counter, tag {@code code}</td><td>transient failures retried (one
 *       series per retriable code, from zero)</td></tr>
 *   <tr><td>{@code zeroetl.messages.rejected}</td><td>function counter</td><td>forged zeroetl messages ignored</td></tr>
 *   <tr><td>{@code zeroetl.drift.rows}</td><td>counter, tag {@code table}</td><td>differing rows continuous
 *       verification found in the target (one series per table, from its first drift)</td></tr>
 *   <tr><td>{@code zeroetl.verify.lag}</td><td>time gauge</td><td>how long ago the SYNCED table verified least
 *       recently was last found equal to its source</td></tr>
 *   <tr><td>{@code zeroetl.verify.rows}</td><td>function counter</td><td>rows continuous verification compared
 *       </td></tr>
 *   <tr><td>{@code zeroetl.source.warnings}</td><td>gauge</td><td>what the source's health check found wrong
 *       (a slot about to lose WAL, DDL no longer captured...): the texts are in the status</td></tr>
 * </table>
 *
 * <p>Gauges read {@link Pipeline#status()} (at most every 200 ms); they are NaN until {@link #watch}. A table
 * that joins while running gets its meters when it first changes state. Thread-safe.
 */
public final class ZeroEtlMetrics implements MeterBinder, PipelineListener {
    private static final long STATUS_TTL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Tags tags;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<TableId> tablesBound = ConcurrentHashMap.newKeySet();
    private volatile Pipeline pipeline;
    private volatile PipelineStatus cached;
    private volatile long cachedAt;

    /**
     * Meters tagged {@code pipeline=<id>}-style by {@code tags} (e.g. {@code Tags.of("pipeline", "orders")}).
     *
     * @param tags tags every meter carries
     */
    public ZeroEtlMetrics(Iterable<Tag> tags) {
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /** Meters without extra tags. */
    public ZeroEtlMetrics() {
        this(Tags.empty());
    }

    /**
     * The pipeline whose status the gauges read (the one this listener was given to).
     *
     * @param started the started pipeline
     * @return this
     */
    public ZeroEtlMetrics watch(Pipeline started) {
        this.pipeline = Objects.requireNonNull(started, "pipeline");
        this.cached = null;
        PipelineStatus status = status();
        if (status != null) {
            status.tables().keySet().forEach(this::bindTable);
        }
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        Gauge.builder("zeroetl.lag.bytes", this, m -> m.read(PipelineStatus::lagBytes))
                .tags(tags)
                .baseUnit("bytes")
                .description("source log not yet processed")
                .register(registry);
        TimeGauge.builder("zeroetl.lag", this, TimeUnit.MILLISECONDS, m -> m.read(PipelineStatus::lagMillis))
                .tags(tags)
                .description("age of the oldest source commit not yet applied")
                .register(registry);
        FunctionCounter.builder("zeroetl.messages.rejected", this, m -> m.read(PipelineStatus::rejectedMessages))
                .tags(tags)
                .description("messages that claimed to be zeroetl's own and were ignored")
                .register(registry);
        TimeGauge.builder(
                        "zeroetl.verify.lag",
                        this,
                        TimeUnit.MILLISECONDS,
                        m -> m.read(s -> s.verification().lag().toMillis()))
                .tags(tags)
                .description("age of the least recent verification of a SYNCED table")
                .register(registry);
        FunctionCounter.builder(
                        "zeroetl.verify.rows",
                        this,
                        m -> m.read(s -> s.verification().rowsVerified()))
                .tags(tags)
                .baseUnit("rows")
                .description("rows continuous verification compared")
                .register(registry);
        Gauge.builder(
                        "zeroetl.source.warnings",
                        this,
                        m -> m.read(s -> s.sourceWarnings().size()))
                .tags(tags)
                .description("what the source's health check found wrong; the texts are in the pipeline's status")
                .register(registry);
        for (TableState state : TableState.values()) {
            Gauge.builder(
                            "zeroetl.tables",
                            this,
                            m -> m.read(s -> s.tables().values().stream()
                                    .filter(t -> t.state() == state)
                                    .count()))
                    .tags(tags)
                    .tag("state", name(state))
                    .description("tables in this state")
                    .register(registry);
        }
        for (PipelineState state : PipelineState.values()) {
            Gauge.builder("zeroetl.state", this, m -> m.read(s -> s.state() == state ? 1 : 0))
                    .tags(tags)
                    .tag("state", name(state))
                    .description("1 for the pipeline's current state")
                    .register(registry);
        }
        timer(registry);
        rows(registry);
        transactions(registry);
        // at zero from the start, so a dashboard or an alert on retries has a series before the first retry
        for (ErrorCode code : ErrorCode.values()) {
            if (code.retriable()) {
                retries(registry, code);
            }
        }
        tablesBound.forEach(table -> bindTable(registry, table));
    }

    @Override
    public void stateChanged(PipelineState from, PipelineState to) {
        // read from status; nothing to count
    }

    @Override
    public void tableStateChanged(TableStatus status) {
        bindTable(status.table());
    }

    @Override
    public void batchApplied(long transactions, long rows, Duration took) {
        for (MeterRegistry registry : registries) {
            timer(registry).record(took);
            rows(registry).record(rows);
            transactions(registry).record(transactions);
        }
    }

    @Override
    public void retrying(ZeroEtlException error, int attempt, Duration delay) {
        for (MeterRegistry registry : registries) {
            retries(registry, error.code()).increment();
        }
    }

    @Override
    public void driftFound(Drift drift) {
        for (MeterRegistry registry : registries) {
            Counter.builder("zeroetl.drift.rows")
                    .tags(tags)
                    .tag("table", drift.table().toString())
                    .baseUnit("rows")
                    .description("differing rows continuous verification found in the target")
                    .register(registry)
                    .increment(drift.rows());
        }
    }

    private Counter retries(MeterRegistry registry, ErrorCode code) {
        return Counter.builder("zeroetl.retries")
                .tags(tags)
                .tag("code", name(code))
                .description("transient failures retried")
                .register(registry);
    }

    private Timer timer(MeterRegistry registry) {
        return Timer.builder("zeroetl.batch")
                .tags(tags)
                .description("a batch, from its first event to its commit")
                .register(registry);
    }

    private DistributionSummary rows(MeterRegistry registry) {
        return DistributionSummary.builder("zeroetl.batch.rows")
                .tags(tags)
                .baseUnit("rows")
                .description("row changes per batch")
                .register(registry);
    }

    private DistributionSummary transactions(MeterRegistry registry) {
        return DistributionSummary.builder("zeroetl.batch.transactions")
                .tags(tags)
                .baseUnit("transactions")
                .description("source transactions per batch")
                .register(registry);
    }

    private void bindTable(TableId table) {
        if (tablesBound.add(table)) {
            registries.forEach(registry -> bindTable(registry, table));
        }
    }

    private void bindTable(MeterRegistry registry, TableId table) {
        Tags tableTags = tags.and("table", table.toString());
        counter(registry, table, tableTags, "insert", TableStatus::inserts);
        counter(registry, table, tableTags, "update", TableStatus::updates);
        counter(registry, table, tableTags, "delete", TableStatus::deletes);
        Gauge.builder("zeroetl.copy.rows", this, m -> m.table(table, TableStatus::copiedRows))
                .tags(tableTags)
                .baseUnit("rows")
                .description("rows of the table's current or last copy")
                .register(registry);
        Gauge.builder(
                        "zeroetl.copy.estimated.rows",
                        this,
                        m -> m.table(table, t -> t.estimatedRows() < 0 ? Double.NaN : t.estimatedRows()))
                .tags(tableTags)
                .baseUnit("rows")
                .description("the source's estimate of the table's rows at its copy")
                .register(registry);
    }

    private void counter(
            MeterRegistry registry,
            TableId table,
            Tags tableTags,
            String operation,
            ToDoubleFunction<TableStatus> count) {
        FunctionCounter.builder("zeroetl.changes.applied", this, m -> m.table(table, count))
                .tags(tableTags)
                .tag("operation", operation)
                .baseUnit("rows")
                .description("row changes committed in the target")
                .register(registry);
    }

    private double table(TableId table, ToDoubleFunction<TableStatus> value) {
        PipelineStatus status = status();
        if (status == null) {
            return Double.NaN;
        }
        return status.table(table).map(value::applyAsDouble).orElse(Double.NaN);
    }

    private double read(ToDoubleFunction<PipelineStatus> value) {
        PipelineStatus status = status();
        return status == null ? Double.NaN : value.applyAsDouble(status);
    }

    private PipelineStatus status() {
        Pipeline watched = pipeline;
        if (watched == null) {
            return null;
        }
        PipelineStatus status = cached;
        long now = System.nanoTime();
        if (status == null || now - cachedAt > STATUS_TTL_NANOS) {
            status = watched.status();
            cached = status;
            cachedAt = now;
        }
        return status;
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}

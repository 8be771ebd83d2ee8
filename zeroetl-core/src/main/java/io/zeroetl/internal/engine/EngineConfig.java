package io.zeroetl.internal.engine;

import io.zeroetl.Naming;
import io.zeroetl.PipelineListener;
import io.zeroetl.TableId;
import io.zeroetl.TableRules;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.spi.Transform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** The checked, immutable settings of one pipeline. */
public final class EngineConfig {
    private final String pipelineId;
    private final Set<TableId> tables;
    private final int batchSize;
    private final long maxBatchBytes;
    private final Duration flushInterval;
    private final long maxBufferedBytes;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration closeTimeout;
    private final Duration startTimeout;
    private final Duration failoverTimeout;
    private final Duration standbyPollInterval;
    private final ThreadFactory threadFactory;
    private final List<PipelineListener> listeners;
    private final Map<TableId, TableRules> rules;
    private final Naming naming;
    private final List<Transform> transforms;
    private final Predicate<TableId> selects;

    private EngineConfig(Builder b) {
        this.selects = b.selects != null ? b.selects : b.tables::contains;
        this.rules = Map.copyOf(b.rules);
        this.naming = b.naming;
        this.transforms = List.copyOf(b.transforms);
        this.pipelineId = b.pipelineId;
        this.tables = Set.copyOf(b.tables);
        this.batchSize = b.batchSize;
        this.maxBatchBytes = b.maxBatchBytes;
        this.flushInterval = b.flushInterval;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.closeTimeout = b.closeTimeout;
        this.startTimeout = b.startTimeout;
        this.failoverTimeout = b.failoverTimeout;
        this.standbyPollInterval = b.standbyPollInterval;
        this.threadFactory = b.threadFactory != null ? b.threadFactory : daemonThreads(b.pipelineId);
        this.listeners = List.copyOf(b.listeners);
    }

    /** Defaults as documented on {@link io.zeroetl.PipelineBuilder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Rules per table (tables without rules are absent). */
    public Map<TableId, TableRules> rules() {
        return rules;
    }

    /** Whether a table created while running belongs to the selection (named, or matching a pattern). */
    public boolean selects(TableId table) {
        return selects.test(table);
    }

    public Naming naming() {
        return naming;
    }

    public List<Transform> transforms() {
        return transforms;
    }

    public String pipelineId() {
        return pipelineId;
    }

    public Set<TableId> tables() {
        return tables;
    }

    public int batchSize() {
        return batchSize;
    }

    public long maxBatchBytes() {
        return maxBatchBytes;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    /** Bytes the reader-to-applier queue may hold. */
    public long queueBytes() {
        return Math.max(1, maxBufferedBytes / 4);
    }

    /** Bytes of a batch kept for a retry without going back to the source. */
    public long replayBytes() {
        return maxBufferedBytes / 2;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** How long {@code start()} retries an endpoint that cannot be reached before it gives up. */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** How long an active instance may be silent or unable to commit before a standby takes over. */
    public Duration failoverTimeout() {
        return failoverTimeout;
    }

    /** How often a standby asks whether it may take over. */
    public Duration standbyPollInterval() {
        return standbyPollInterval;
    }

    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    public List<PipelineListener> listeners() {
        return listeners;
    }

    private static ThreadFactory daemonThreads(String pipelineId) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "zeroetl-" + pipelineId + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Collects and checks settings. Not thread-safe. */
    public static final class Builder {
        private String pipelineId = "zeroetl";
        private Set<TableId> tables = Set.of();
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
        private List<PipelineListener> listeners = new ArrayList<>();
        private Map<TableId, TableRules> rules = Map.of();
        private Naming naming = Naming.AS_IS;
        private List<Transform> transforms = List.of();
        private Predicate<TableId> selects;

        /** Which tables created while running join (default: those named in {@link #tables}). */
        public Builder selects(Predicate<TableId> selects) {
            this.selects = Objects.requireNonNull(selects, "selects");
            return this;
        }

        /** Rules per table, the naming policy and host transforms. */
        public Builder shaping(Map<TableId, TableRules> rules, Naming naming, List<Transform> transforms) {
            this.rules = Map.copyOf(rules);
            this.naming = Objects.requireNonNull(naming, "naming");
            this.transforms = List.copyOf(transforms);
            return this;
        }

        private Builder() {}

        public Builder pipelineId(String id) {
            Objects.requireNonNull(id, "pipelineId");
            if (!id.matches("[a-z][a-z0-9_]{0,39}")) {
                throw ZeroEtlException.configuration(
                        "pipelineId",
                        "'" + id + "' must be 1-40 lower-case letters, digits or underscores,"
                                + " starting with a letter (it names the replication slot)");
            }
            this.pipelineId = id;
            return this;
        }

        public Builder tables(Set<TableId> tables) {
            this.tables = Set.copyOf(tables);
            return this;
        }

        public Builder batchSize(int rows) {
            if (rows < 1) {
                throw ZeroEtlException.configuration("batchSize", "must be at least 1 row, got " + rows);
            }
            this.batchSize = rows;
            return this;
        }

        public Builder maxBatchBytes(long bytes) {
            if (bytes < 1024) {
                throw ZeroEtlException.configuration("maxBatchBytes", "must be at least 1024 bytes, got " + bytes);
            }
            this.maxBatchBytes = bytes;
            return this;
        }

        public Builder flushInterval(Duration interval) {
            Objects.requireNonNull(interval, "flushInterval");
            if (interval.isNegative() || interval.isZero() || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw ZeroEtlException.configuration(
                        "flushInterval", "must be between 1 ms and 1 hour, got " + interval);
            }
            this.flushInterval = interval;
            return this;
        }

        public Builder maxBufferedBytes(long bytes) {
            if (bytes < 1L << 20) {
                throw ZeroEtlException.configuration(
                        "maxBufferedBytes", "must be at least 1 MB (1048576), got " + bytes);
            }
            this.maxBufferedBytes = bytes;
            return this;
        }

        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw ZeroEtlException.configuration("maxRetries", "must not be negative, got " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        public Builder retryBackoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "retryBackoff initial");
            Objects.requireNonNull(max, "retryBackoff max");
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw ZeroEtlException.configuration(
                        "retryBackoff", "needs 0 < initial <= max, got " + initial + " and " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative()) {
                throw ZeroEtlException.configuration("closeTimeout", "must not be negative, got " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        public Builder failoverTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "failoverTimeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw ZeroEtlException.configuration("failoverTimeout", "must be at least 1 s, got " + timeout);
            }
            this.failoverTimeout = timeout;
            return this;
        }

        public Builder standbyPollInterval(Duration interval) {
            Objects.requireNonNull(interval, "standbyPollInterval");
            if (interval.isNegative() || interval.isZero()) {
                throw ZeroEtlException.configuration("standbyPollInterval", "must be positive, got " + interval);
            }
            this.standbyPollInterval = interval;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "startTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw ZeroEtlException.configuration("startTimeout", "must be positive, got " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        public Builder listeners(List<PipelineListener> listeners) {
            this.listeners = new ArrayList<>(listeners);
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(this);
        }
    }
}

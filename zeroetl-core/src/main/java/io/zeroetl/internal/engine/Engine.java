package io.zeroetl.internal.engine;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.PipelineStatus;
import io.zeroetl.RetriableException;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.Target;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.internal.transform.Transformer;
import io.zeroetl.internal.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running pipeline: the {@link ApplyLoop} thread drives the applier and (re)starts the
 * {@link ReaderLoop} thread; this class is the host's handle on them.
 */
public final class Engine implements Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineConfig config;
    private final Source source;
    private final Target target;
    private final Lifecycle lifecycle;
    private final Positions positions = new Positions();
    private final TableRegistry tables;
    private final Throughput throughput = new Throughput();
    private final ApplyLoop applyLoop;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile ZeroEtlException failure;
    private volatile ZeroEtlException startFailure;
    private volatile String lastTransientError;
    /** Before the first opening: the transient error the current attempt to start ended with. */
    private volatile ZeroEtlException startError;

    private volatile boolean opened;

    private Engine(Source source, Target target, EngineConfig config) {
        this.config = config;
        this.source = source;
        this.target = target;
        this.lifecycle = new Lifecycle(config.pipelineId(), config.listeners());
        this.tables = new TableRegistry(config.tables(), TableState.PENDING, config.listeners());
        this.applyLoop = new ApplyLoop(this, source, target);
    }

    /**
     * Starts a pipeline and returns once it streams, retries a transient failure, stands by (another
     * instance is active), or has failed (then throws the failure).
     */
    public static Engine start(Source source, Target target, EngineConfig config) {
        Engine engine = new Engine(source, target, config);
        Thread thread = config.threadFactory().newThread(engine.applyLoop);
        thread.start();
        try {
            long deadline = System.nanoTime() + config.startTimeout().toNanos();
            while (!engine.settled.await(100, TimeUnit.MILLISECONDS)) {
                ZeroEtlException pending = engine.startError;
                if (pending != null && System.nanoTime() >= deadline) {
                    engine.close();
                    throw notStarted(config, pending);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engine.close();
            throw new ZeroEtlException(
                    ErrorCode.ILLEGAL_STATE, "Interrupted while starting the pipeline; it was closed");
        }
        if (engine.startFailure != null) {
            engine.applyLoop.awaitStopped(config.closeTimeout());
            throw engine.startFailure;
        }
        return engine;
    }

    private static ZeroEtlException notStarted(EngineConfig config, ZeroEtlException last) {
        String message = "Pipeline " + config.pipelineId() + " could not start within "
                + config.startTimeout().toSeconds()
                + " s (startTimeout): " + last.getMessage() + ". Check the host, port and network path to that server,"
                + " or give a server that is still starting a longer startTimeout.";
        return last.isRetriable()
                ? new RetriableException(last.code(), message, last)
                : new ZeroEtlException(last.code(), message, last);
    }

    @Override
    public ValidationReport validate() {
        if (closing.get()) {
            throw new IllegalStateException("the pipeline was closed");
        }
        return new Validator(
                        source,
                        target,
                        config.pipelineId(),
                        Validator.DEFAULT_TIMEOUT,
                        Validator.DEFAULT_MAX_DIFFERENCES,
                        Validator.DEFAULT_RECHECKS,
                        new Transformer(config.rules(), config.naming(), config.transforms(), target::foldName))
                .whileAlive(this::requireRunning)
                .run(List.copyOf(new TreeSet<>(config.tables())));
    }

    /** Throws the pipeline's failure, or that it was closed, so a validation stops waiting for it. */
    private void requireRunning() {
        ZeroEtlException failed = failure;
        if (failed != null) {
            throw new ZeroEtlException(
                    failed.code(), "The pipeline failed while validating: " + failed.getMessage(), failed);
        }
        if (closing.get()) {
            throw new IllegalStateException("the pipeline was closed while validating");
        }
    }

    EngineConfig config() {
        return config;
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    Positions positions() {
        return positions;
    }

    TableRegistry tables() {
        return tables;
    }

    Throughput throughput() {
        return throughput;
    }

    boolean isClosing() {
        return closing.get();
    }

    /** The start has an outcome (streaming, retrying, or failed). */
    void settled() {
        settled.countDown();
    }

    /** A transient error is being retried: before the first opening, {@code start()} waits for it to clear. */
    void transientError(ZeroEtlException e) {
        lastTransientError = e.getMessage();
        if (opened) {
            settled();
        } else {
            startError = e;
        }
    }

    /** A new attempt to reach the endpoints begins: it has not failed (yet). */
    void attempting() {
        startError = null;
    }

    /** The stream opened: the start has succeeded; later failures are retried in the background. */
    void opened() {
        opened = true;
        lastTransientError = null;
        settled();
    }

    /** The last transient error has been overcome. */
    void recovered() {
        lastTransientError = null;
    }

    /** Stops the pipeline for good with {@code e}. */
    void fail(ZeroEtlException e) {
        failure = e;
        if (settled.getCount() > 0) {
            startFailure = e;
        }
        LOG.error("Pipeline {} FAILED: {}", config.pipelineId(), e.getMessage());
        lifecycle.moveTo(PipelineState.FAILED);
        positions.wakeAll();
        settled();
    }

    @Override
    public PipelineState state() {
        return lifecycle.get();
    }

    @Override
    public PipelineStatus status() {
        Lsn sourcePosition = positions.serverEnd();
        String error = failure != null ? failure.getMessage() : lastTransientError;
        return new PipelineStatus(
                lifecycle.get(),
                sourcePosition,
                positions.confirmed(),
                positions.applied(),
                positions.lagBytes(),
                applyLoop.lagMillis(),
                throughput.rowsPerSecond(),
                tables.snapshot(),
                error,
                source.decoder().rejectedMessages(),
                Instant.now());
    }

    @Override
    public void resync(String table) {
        TableId id;
        try {
            id = TableId.parse(table);
        } catch (IllegalArgumentException e) {
            throw new ZeroEtlException(ErrorCode.CONFIGURATION, "resync: " + e.getMessage());
        }
        if (!config.tables().contains(id)) {
            throw new ZeroEtlException(
                    ErrorCode.CONFIGURATION,
                    "resync: " + id + " is not one of this pipeline's" + " tables " + config.tables());
        }
        throwIfFailed();
        if (lifecycle.get() == PipelineState.STANDBY) {
            throw new ZeroEtlException(
                    ErrorCode.ILLEGAL_STATE,
                    "resync: this instance of pipeline " + config.pipelineId() + " stands by and applies nothing;"
                            + " call resync on the active instance (the one whose state is STREAMING)");
        }
        tables.set(id, TableState.RESYNCING, null);
        applyLoop.requestCopy(id);
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        throwIfFailed();
        if (lifecycle.get() == PipelineState.STOPPED || lifecycle.get() == PipelineState.STOPPING) {
            throw new IllegalStateException("The pipeline is closed");
        }
        try {
            Lsn target = sourcePosition(deadline);
            if (target == null) {
                return false;
            }
            positions.serverEnd(target);
            while (positions.processed().isBefore(target) || tables.copying()) {
                throwIfFailed();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                positions.awaitChange(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        throwIfFailed();
        return true;
    }

    /**
     * The source's current position; while the source cannot be reached (the pipeline reconnects by itself)
     * asks again until {@code deadline}, then returns null.
     */
    private Lsn sourcePosition(long deadline) throws InterruptedException {
        while (true) {
            try {
                return source.reader().currentPosition();
            } catch (RetriableException e) {
                throwIfFailed();
                if (System.nanoTime() >= deadline) {
                    return null;
                }
                TimeUnit.MILLISECONDS.sleep(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        }
    }

    private void throwIfFailed() {
        ZeroEtlException failed = failure;
        if (failed != null) {
            throw new ZeroEtlException(
                    failed.code(), "Pipeline " + config.pipelineId() + " failed: " + failed.getMessage(), failed);
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            applyLoop.awaitStopped(config.closeTimeout().plusSeconds(5));
            return;
        }
        lifecycle.moveTo(PipelineState.STOPPING);
        applyLoop.stop();
        if (!applyLoop.awaitStopped(config.closeTimeout().plusSeconds(5))) {
            LOG.warn(
                    "Pipeline {} did not stop within {}; abandoning its threads",
                    config.pipelineId(),
                    config.closeTimeout());
            applyLoop.interrupt();
        }
        lifecycle.moveTo(PipelineState.STOPPED);
        positions.wakeAll();
        LOG.info(
                "Pipeline {} stopped at applied position {}, confirmed {}",
                config.pipelineId(),
                positions.applied(),
                positions.confirmed());
    }

    @Override
    public String toString() {
        return "Pipeline[" + config.pipelineId() + ", " + lifecycle.get() + ", tables " + config.tables() + "]";
    }

    /** Waits, interruptibly by close, for {@code delay}; returns false when closing. */
    boolean pause(Duration delay) {
        long end = System.nanoTime() + delay.toNanos();
        while (!closing.get()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}

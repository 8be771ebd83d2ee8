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
import io.zeroetl.internal.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running pipeline: the {@link InstanceLoop} thread drives the applier and (re)starts the
 * {@link ReaderLoop} thread; this class is the host's handle on them.
 */
public final class Engine implements Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final EngineConfig config;
    private final Source source;
    private final Target target;
    private final Control control;
    private final Lifecycle lifecycle;
    private final Positions positions;
    private final TableRegistry tables;
    private final InstanceLoop instance;
    private final VerificationLog verification;
    private Thread verifier;

    private Engine(Source source, Target target, EngineConfig config) {
        this.config = config;
        this.source = source;
        this.target = target;
        this.control = new Control(config);
        this.lifecycle = control.lifecycle();
        this.positions = control.positions();
        this.tables = control.tables();
        this.instance = new InstanceLoop(control, source, target);
        this.verification = new VerificationLog(config.verification());
    }

    /**
     * Starts a pipeline and returns once it streams, retries a transient failure, stands by (another
     * instance is active), or has failed (then throws the failure).
     */
    public static Engine start(Source source, Target target, EngineConfig config) {
        Engine engine = new Engine(source, target, config);
        Thread thread = config.threadFactory().newThread(engine.instance);
        thread.start();
        try {
            long deadline = System.nanoTime() + config.startTimeout().toNanos();
            while (!engine.control.awaitSettled(100)) {
                ZeroEtlException pending = engine.control.startError();
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
        if (engine.control.startFailure() != null) {
            engine.instance.awaitStopped(config.closeTimeout());
            throw engine.control.startFailure();
        }
        if (config.verification().enabled()) {
            engine.verifier = config.threadFactory()
                    .newThread(new Verifier(engine.control, source, target, engine.verification, engine::copyAgain));
            engine.verifier.start();
        }
        return engine;
    }

    /**
     * Start gave up: RETRIES_EXHAUSTED (it is not retried any more), saying what the last attempt met without
     * that attempt's "retrying", and caused by what that attempt was caused by, so the text is not repeated down
     * the chain.
     */
    private static ZeroEtlException notStarted(EngineConfig config, ZeroEtlException last) {
        String met = last.getMessage();
        for (String advice : new String[] {"; retrying.", "; retrying", "."}) {
            if (met.endsWith(advice)) {
                met = met.substring(0, met.length() - advice.length());
                break;
            }
        }
        String message = "Pipeline " + config.pipelineId() + " could not start within "
                + config.startTimeout().toSeconds() + " s (startTimeout), retrying all the while: " + met
                + ". Check the host, port and network path to that server, or give a server that is still starting a"
                + " longer startTimeout";
        return new ZeroEtlException(
                ErrorCode.RETRIES_EXHAUSTED, message, last.getCause() != null ? last.getCause() : last);
    }

    @Override
    public ValidationReport validate() {
        if (control.isClosing()) {
            throw new IllegalStateException("the pipeline was closed");
        }
        return new Validator(
                        source,
                        target,
                        config.pipelineId(),
                        Validator.DEFAULT_TIMEOUT,
                        Validator.DEFAULT_MAX_DIFFERENCES,
                        Validator.DEFAULT_RECHECKS,
                        control.transformer(target))
                .whileAlive(this::requireRunning)
                .withStates(table -> tables.snapshot().get(table))
                // every table the pipeline holds now: those that joined while it ran too
                .run(List.copyOf(new TreeSet<>(tables.snapshot().keySet())));
    }

    /** Throws the pipeline's failure, or that it was closed, so a validation stops waiting for it. */
    private void requireRunning() {
        ZeroEtlException failed = control.failure();
        if (failed != null) {
            throw new ZeroEtlException(
                    failed.code(), "The pipeline failed while validating: " + failed.getMessage(), failed);
        }
        if (control.isClosing()) {
            throw new IllegalStateException("the pipeline was closed while validating");
        }
    }

    @Override
    public PipelineState state() {
        return lifecycle.get();
    }

    @Override
    public PipelineStatus status() {
        Lsn sourcePosition = positions.serverEnd();
        ZeroEtlException failure = control.failure();
        String error = failure != null ? failure.getMessage() : control.lastTransientError();
        return new PipelineStatus(
                lifecycle.get(),
                sourcePosition,
                positions.confirmed(),
                positions.applied(),
                positions.lagBytes(),
                instance.lagMillis(),
                control.throughput().rowsPerSecond(),
                tables.snapshot(),
                error,
                source.reader().rejectedMessages(),
                source.reader().warnings(),
                verification.snapshot(tables.snapshot(), Instant.now()),
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
        if (!tables.knows(id)) {
            throw new ZeroEtlException(
                    ErrorCode.CONFIGURATION,
                    "resync: " + id + " is not one of this pipeline's tables "
                            + new TreeSet<>(tables.snapshot().keySet()));
        }
        throwIfFailed();
        if (lifecycle.get() == PipelineState.STANDBY) {
            throw new ZeroEtlException(
                    ErrorCode.ILLEGAL_STATE,
                    "resync: this instance of pipeline " + config.pipelineId() + " stands by and applies nothing;"
                            + " call resync on the active instance (the one whose state is STREAMING)");
        }
        copyAgain(id);
    }

    /** Copies {@code table} again while the other tables stream. */
    private void copyAgain(TableId table) {
        tables.set(table, TableState.RESYNCING, null);
        instance.requestCopy(table);
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
        ZeroEtlException failed = control.failure();
        if (failed != null) {
            throw new ZeroEtlException(
                    failed.code(), "Pipeline " + config.pipelineId() + " failed: " + failed.getMessage(), failed);
        }
    }

    @Override
    public void close() {
        if (!control.shutdown().request()) {
            instance.awaitStopped(config.closeTimeout().plusSeconds(5));
            return;
        }
        lifecycle.moveTo(PipelineState.STOPPING);
        if (!instance.awaitStopped(config.closeTimeout().plusSeconds(5))) {
            LOG.warn(
                    "Pipeline {} did not stop within {}; abandoning its threads",
                    config.pipelineId(),
                    config.closeTimeout());
            instance.interrupt();
        }
        stopVerifier();
        lifecycle.moveTo(PipelineState.STOPPED);
        positions.wakeAll();
        LOG.info(
                "Pipeline {} stopped at applied position {}, confirmed {}",
                config.pipelineId(),
                positions.applied(),
                positions.confirmed());
    }

    /** Waits for the verifier to leave what it was comparing (it obeys the shutdown signal), then moves on. */
    private void stopVerifier() {
        Thread running = verifier;
        if (running == null) {
            return;
        }
        try {
            running.join(config.closeTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            LOG.warn(
                    "Pipeline {}'s verification did not stop within {}; abandoning it",
                    config.pipelineId(),
                    config.closeTimeout());
            running.interrupt();
        }
    }

    @Override
    public String toString() {
        return "Pipeline[" + config.pipelineId() + ", " + lifecycle.get() + ", tables " + config.tables() + "]";
    }
}

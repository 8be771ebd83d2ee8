package io.zeroetl.internal.engine;

import io.zeroetl.PipelineState;
import io.zeroetl.TableState;
import io.zeroetl.Target;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.internal.transform.FirstNames;
import io.zeroetl.internal.transform.Transformer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline's loops share and report, and all they see of the running pipeline: its settings and
 * books (state, positions, tables, throughput), the one shutdown signal, and the reports that decide how
 * {@code start()} ends and what status says (a transient error, recovery, the stream opening, a permanent
 * failure). The host's handle, {@link Engine}, reads them; the loops never see it. Thread-safe.
 */
final class Control {
    private static final Logger LOG = LoggerFactory.getLogger(Control.class);

    private final EngineConfig config;
    private final Lifecycle lifecycle;
    private final Positions positions = new Positions();
    private final TableRegistry tables;
    private final Throughput throughput = new Throughput();
    private final FirstNames names = new FirstNames();
    private final Shutdown shutdown = new Shutdown();
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile ZeroEtlException failure;
    private volatile ZeroEtlException startFailure;
    private volatile String lastTransientError;
    /** Before the first opening: the transient error the current attempt to start ended with. */
    private volatile ZeroEtlException startError;

    private volatile boolean opened;

    Control(EngineConfig config) {
        this.config = config;
        this.lifecycle = new Lifecycle(config.pipelineId(), config.listeners());
        this.tables = new TableRegistry(config.tables(), TableState.PENDING, config.listeners());
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

    /** A transformer of the pipeline's rules and transforms, for {@code target}, going by the pipeline's names. */
    Transformer transformer(Target target) {
        return new Transformer(config.rules(), config.naming(), config.transforms(), target::foldName, names);
    }

    /** The names the host's settings know renamed tables by. */
    FirstNames names() {
        return names;
    }

    Throughput throughput() {
        return throughput;
    }

    Shutdown shutdown() {
        return shutdown;
    }

    /** Whether the pipeline is closing. */
    boolean isClosing() {
        return shutdown.requested();
    }

    /** Waits for {@code delay}, ended early by shutdown; returns false when closing. */
    boolean pause(Duration delay) {
        return shutdown.pause(delay);
    }

    /** The start has an outcome (streaming, retrying, standing by, or failed). */
    void settled() {
        settled.countDown();
    }

    /** Waits up to {@code millis} for the start's outcome; {@return whether it is there} */
    boolean awaitSettled(long millis) throws InterruptedException {
        return settled.await(millis, TimeUnit.MILLISECONDS);
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

    /** The permanent failure, or null. */
    ZeroEtlException failure() {
        return failure;
    }

    /** The failure that ended the start, or null. */
    ZeroEtlException startFailure() {
        return startFailure;
    }

    /** The transient error the current attempt to start ended with, or null. */
    ZeroEtlException startError() {
        return startError;
    }

    /** The transient error being retried, or null. */
    String lastTransientError() {
        return lastTransientError;
    }
}

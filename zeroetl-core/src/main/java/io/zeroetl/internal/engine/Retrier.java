package io.zeroetl.internal.engine;

import io.zeroetl.ErrorCode;
import io.zeroetl.PipelineListener;
import io.zeroetl.ZeroEtlException;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transient failures of the apply thread: waits with backoff before the next attempt, fails the pipeline
 * when the failure is permanent or the attempts run out, and remembers since when it has been failing.
 */
final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    private final Control control;
    private final EngineConfig config;
    private final Backoff backoff;
    private int attempts;
    private long failingSince;

    Retrier(Control control) {
        this.control = control;
        this.config = control.config();
        this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
    }

    /** Waits before the next attempt; false (after failing the pipeline if need be) when there is none. */
    boolean retry(ZeroEtlException e) {
        return retry(e, System.nanoTime());
    }

    /**
     * As {@link #retry(ZeroEtlException)}, for an attempt that began at {@code attemptBegan} (nanoTime): the
     * failures count from there (a statement that hung until its socket timed out failed when it began).
     */
    boolean retry(ZeroEtlException e, long attemptBegan) {
        if (!e.isRetriable()) {
            control.fail(e);
            return false;
        }
        if (attempts == 0) {
            failingSince = attemptBegan;
        }
        attempts++;
        if (attempts > config.maxRetries()) {
            control.fail(new ZeroEtlException(
                    ErrorCode.RETRIES_EXHAUSTED,
                    "Gave up after " + config.maxRetries()
                            + " retries; the last error: " + e.getMessage()
                            + ". Fix the cause and start the pipeline again:"
                            + " it resumes where the target left off.",
                    e));
            return false;
        }
        Duration delay = backoff.delay(attempts);
        LOG.warn(
                "Pipeline {}: {} (retry {} of {} in {} ms)",
                config.pipelineId(),
                e.getMessage(),
                attempts,
                config.maxRetries(),
                delay.toMillis());
        control.transientError(e);
        int attempt = attempts;
        tell(config, l -> l.retrying(e, attempt, delay));
        return control.pause(delay);
    }

    /** A batch committed: the failures are over. */
    void succeeded() {
        if (attempts > 0) {
            LOG.info("Pipeline {} recovered after {} retries", config.pipelineId(), attempts);
        }
        attempts = 0;
        control.recovered();
    }

    /** Whether the pipeline has been failing, with no commit in between, for longer than {@code limit}. */
    boolean failingLongerThan(Duration limit) {
        return attempts > 0 && System.nanoTime() - failingSince > limit.toNanos();
    }

    /** Tells each listener; what one throws is logged and ignored. */
    static void tell(EngineConfig config, Consumer<PipelineListener> call) {
        for (PipelineListener listener : config.listeners()) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Pipeline {}: a listener failed: {}", config.pipelineId(), e.toString());
            }
        }
    }
}

package io.zeroetl.internal.engine;

import io.zeroetl.PipelineState;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.spi.SourceLease;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's side of the source's {@link SourceLease}: waits in STANDBY until it holds the lease, and
 * while it is active renews it from a thread of its own, calling back the moment it is lost.
 */
final class LeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final SourceLease lease;
    private final Control control;
    private final EngineConfig config;
    private volatile boolean lost;
    private volatile Thread renewer;

    LeaseKeeper(SourceLease lease, Control control) {
        this.lease = lease;
        this.control = control;
        this.config = control.config();
    }

    /** Whether only one instance can hold the lease (several instances can run the pipeline). */
    boolean exclusive() {
        return lease.exclusive();
    }

    /**
     * Returns once this instance holds the lease, standing by (STANDBY, the start settled) while another
     * holds it; false when the pipeline closes or fails first.
     */
    boolean acquire() {
        boolean announced = false;
        while (!control.isClosing()) {
            try {
                control.attempting();
                if (lease.tryAcquire()) {
                    lost = false;
                    if (announced) {
                        LOG.info("Pipeline {}: the lease is free: taking over", config.pipelineId());
                    }
                    return true;
                }
                if (!announced) {
                    announced = true;
                    LOG.info("Pipeline {} is active in another instance{}: standing by", config.pipelineId(), holder());
                    control.lifecycle().moveTo(PipelineState.STANDBY);
                    control.settled();
                }
            } catch (ZeroEtlException e) {
                if (!e.isRetriable()) {
                    control.fail(e);
                    return false;
                }
                LOG.debug("Pipeline {}: asking for the lease failed: {}", config.pipelineId(), e.getMessage());
                control.transientError(e);
            }
            if (!control.pause(config.standbyPollInterval())) {
                return false;
            }
        }
        return false;
    }

    private String holder() {
        String holder = lease.holder();
        return holder.isEmpty() ? "" : " (" + holder + ")";
    }

    /** Renews the lease until {@link #stopRenewing()}; {@code onLost} runs once if it is lost. */
    void startRenewing(Runnable onLost) {
        if (!lease.exclusive()) {
            return;
        }
        Duration interval = lease.renewInterval();
        Thread thread = config.threadFactory().newThread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    TimeUnit.NANOSECONDS.sleep(interval.toNanos());
                } catch (InterruptedException e) {
                    return;
                }
                if (renewer != Thread.currentThread()) {
                    return;
                }
                if (!lease.renew()) {
                    if (renewer == Thread.currentThread() && !control.isClosing()) {
                        lost = true;
                        LOG.warn(
                                "Pipeline {}: this instance lost its lease on the source (silent longer than the"
                                        + " failover timeout, or cut off from the source): stepping down",
                                config.pipelineId());
                        onLost.run();
                    }
                    return;
                }
            }
        });
        renewer = thread;
        thread.start();
    }

    /** Stops renewing (the lease stays held until {@link #release()}). */
    void stopRenewing() {
        Thread thread = renewer;
        renewer = null;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the lease was found lost while active. */
    boolean lost() {
        return lost;
    }

    /** Gives the lease up: a standby may take over at once. */
    void release() {
        stopRenewing();
        try {
            lease.close();
        } catch (RuntimeException e) {
            LOG.debug("Releasing the lease failed: {}", e.toString());
        }
    }
}

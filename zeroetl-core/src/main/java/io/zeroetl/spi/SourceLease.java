package io.zeroetl.spi;

import java.time.Duration;

/**
 * Which of several instances of one pipeline (same pipelineId, source and target) is the active one: the
 * instance that holds the lease streams and applies, the others stand by. The source keeps the lease, so
 * holding it needs nothing beyond the source itself: it is lost when the holder closes it, dies, or goes
 * silent for longer than the failover timeout (paused, or cut off from the source).
 *
 * <p>A lease alone cannot stop an instance that lost it without noticing yet (paused mid-batch) from
 * committing: the target refuses that through the epoch an applier claims on {@link ChangeApplier#start}.
 *
 * <p>Used from the engine's threads: {@link #tryAcquire} and {@link #close} from the apply thread,
 * {@link #renew} from a keeper thread.
 */
public interface SourceLease extends AutoCloseable {
    /**
     * A lease every caller holds at once: for sources with no way to tell instances apart, where a host runs
     * one instance only.
     *
     * @return a lease that is always held
     */
    static SourceLease unshared() {
        return new SourceLease() {
            @Override
            public boolean tryAcquire() {
                return true;
            }

            @Override
            public boolean renew() {
                return true;
            }

            @Override
            public boolean exclusive() {
                return false;
            }

            @Override
            public String holder() {
                return "";
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }

    /**
     * Takes the lease if nobody holds it; true also when this instance already holds it.
     *
     * @return whether this instance holds the lease now
     * @throws io.zeroetl.RetriableException when the source cannot be reached
     */
    boolean tryAcquire();

    /**
     * Tells the source this instance is alive, and checks it still holds the lease.
     *
     * @return false when the lease was lost (its session ended: the instance was silent too long)
     */
    boolean renew();

    /** {@return whether only one instance can hold this lease (false for {@link #unshared()})} */
    boolean exclusive();

    /** {@return who holds the lease now, for messages (best effort, empty when unknown)} */
    String holder();

    /**
     * How often {@link #renew} is to be called; a holder silent for its failover timeout loses the lease.
     *
     * @return the interval between renewals
     */
    default Duration renewInterval() {
        return Duration.ofSeconds(1);
    }

    /** Gives the lease up (a standby may take over at once). Idempotent. */
    @Override
    void close();
}

package io.zeroetl.spi;

import io.zeroetl.Lsn;
import java.time.Duration;
import java.util.List;

/**
 * Opens the source's change stream. One per pipeline; the engine may open a new stream after a failure
 * (and closes the old one first).
 *
 * <pre>{@code
 * try (WalStream stream = reader.open(new StreamRequest("orders", tables, lastCommitted))) {
 *     StreamItem item = stream.read(Duration.ofMillis(500));
 * }
 * }</pre>
 *
 * <p>Implementations must allow {@link #currentPosition()} from any thread.
 */
public interface WalReader {
    /**
     * Opens the stream so that it delivers every transaction that commits after
     * {@code request.resumeAfter()}.
     *
     * @param request the pipeline, its tables and the position to resume after
     * @return the open stream; the caller closes it
     * @throws io.zeroetl.ZeroEtlException with a retriable code when the source is unreachable, a
     *     permanent one when it refuses (with what to fix)
     */
    WalStream open(StreamRequest request);

    /** {@return the end of the source's log now: what {@code awaitCaughtUp} waits for} */
    Lsn currentPosition();

    /**
     * How many messages the streams refused because they claimed to be the pipeline's own but failed its check
     * (forged or damaged); shown in the pipeline's status. Thread-safe.
     *
     * @return the messages refused so far; 0 by default
     */
    default long rejectedMessages() {
        return 0;
    }

    /**
     * What the source's last health check found wrong that no table's state shows: e.g. a slot about to lose
     * WAL it needs, or schema changes no longer captured. Shown in the pipeline's status. Thread-safe.
     *
     * @return the warnings, in words that say what to do; empty by default
     */
    default List<String> warnings() {
        return List.of();
    }

    /**
     * The lease that decides which instance of {@code pipelineId} streams; the engine holds it before it
     * opens a stream and gives it up when it stops or steps down. By default every instance holds it
     * ({@link SourceLease#unshared()}): a reader that cannot tell instances apart serves one instance only.
     *
     * @param pipelineId the pipeline
     * @param failoverTimeout how long a holder may stay silent before it loses the lease
     * @return a new, not yet acquired lease; the caller closes it
     */
    default SourceLease lease(String pipelineId, Duration failoverTimeout) {
        return SourceLease.unshared();
    }
}

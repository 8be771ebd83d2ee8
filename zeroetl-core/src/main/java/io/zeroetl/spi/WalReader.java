package io.zeroetl.spi;

import io.zeroetl.Lsn;

/**
 * Opens the source's change stream. One per pipeline; the engine may open a new stream after a failure
 * (and closes the old one first).
 *
 * <pre>{@code
 * try (WalStream stream = reader.open(new StreamRequest("orders", tables, lastCommitted))) {
 *     RawMessage m = stream.read(Duration.ofMillis(500));
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
}

package io.zeroetl.spi;

import io.zeroetl.Lsn;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What a {@link WalStream} reads: either a change message (its bytes and where it lies in the log), or
 * a progress report saying the source has sent everything before a position.
 *
 * <p>Immutable apart from the payload buffer, which the decoder reads and must not keep.
 */
public final class RawMessage {
    private final Lsn position;
    private final Lsn serverEnd;
    private final ByteBuffer payload;

    private RawMessage(Lsn position, Lsn serverEnd, ByteBuffer payload) {
        this.position = Objects.requireNonNull(position, "position");
        this.serverEnd = Objects.requireNonNull(serverEnd, "serverEnd");
        this.payload = payload;
    }

    /**
     * A change message.
     *
     * @param position where the message lies in the source log
     * @param serverEnd the end of the source's log when it was sent ({@link Lsn#NONE} if unknown)
     * @param payload the message bytes, from position to limit
     */
    public static RawMessage data(Lsn position, Lsn serverEnd, ByteBuffer payload) {
        return new RawMessage(position, serverEnd, Objects.requireNonNull(payload, "payload"));
    }

    /**
     * A progress report: every change before {@code sentUpTo} has been delivered by earlier reads. When
     * the engine has applied everything it was given, it may acknowledge this position, so an idle slot
     * does not hold back the source's log.
     */
    public static RawMessage progress(Lsn sentUpTo) {
        return new RawMessage(sentUpTo, sentUpTo, null);
    }

    /** Whether this is a progress report rather than a change message. */
    public boolean isProgress() {
        return payload == null;
    }

    /** The message's position, or for a progress report the position everything before which was sent. */
    public Lsn position() {
        return position;
    }

    /** The end of the source's log as last known. */
    public Lsn serverEnd() {
        return serverEnd;
    }

    /**
     * The message bytes.
     *
     * @throws IllegalStateException for a progress report
     */
    public ByteBuffer payload() {
        if (payload == null) {
            throw new IllegalStateException("a progress report has no payload");
        }
        return payload;
    }

    @Override
    public String toString() {
        return isProgress() ? "RawMessage[progress " + position + "]"
                : "RawMessage[" + position + ", " + payload.remaining() + " bytes]";
    }
}

package io.zeroetl.spi;

import io.zeroetl.Lsn;
import io.zeroetl.change.ChangeEvent;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What a {@link WalStream} reads: a change message (its bytes and where it lies in the log) for the
 * decoder, a typed event the reader produced itself (e.g. a table copy), or a progress report saying the
 * source has sent everything before a position.
 *
 * <p>Immutable apart from the payload buffer, which the decoder reads and must not keep.
 */
public final class RawMessage {
    private final Lsn position;
    private final Lsn serverEnd;
    private final ByteBuffer payload;
    private final ChangeEvent event;

    private RawMessage(Lsn position, Lsn serverEnd, ByteBuffer payload, ChangeEvent event) {
        this.position = Objects.requireNonNull(position, "position");
        this.serverEnd = Objects.requireNonNull(serverEnd, "serverEnd");
        this.payload = payload;
        this.event = event;
    }

    /**
     * A change message.
     *
     * @param position where the message lies in the source log
     * @param serverEnd the end of the source's log when it was sent ({@link Lsn#NONE} if unknown)
     * @param payload the message bytes, from position to limit
     * @return the message
     */
    public static RawMessage data(Lsn position, Lsn serverEnd, ByteBuffer payload) {
        return new RawMessage(position, serverEnd, Objects.requireNonNull(payload, "payload"), null);
    }

    /**
     * A progress report: every change before {@code sentUpTo} has been delivered by earlier reads. When
     * the engine has applied everything it was given, it may acknowledge this position, so an idle slot
     * does not hold back the source's log.
     *
     * @param sentUpTo the position every change before which was delivered
     * @return the progress report
     */
    public static RawMessage progress(Lsn sentUpTo) {
        return new RawMessage(sentUpTo, sentUpTo, null, null);
    }

    /**
     * An event the reader produced itself, typed: e.g. the rows of a table copy, read by other means than
     * the change stream. It goes to the applier as it is; the decoder never sees it, so a decoder only ever
     * reads what the source's stream sent, and nothing in that stream can pass for such an event.
     *
     * @param position where the event belongs in the source log
     * @param event the event
     * @return the message carrying the event
     */
    public static RawMessage event(Lsn position, ChangeEvent event) {
        return new RawMessage(position, position, null, Objects.requireNonNull(event, "event"));
    }

    /** {@return whether this is a progress report rather than a change message} */
    public boolean isProgress() {
        return payload == null && event == null;
    }

    /** {@return whether this carries a typed event rather than bytes to decode} */
    public boolean isEvent() {
        return event != null;
    }

    /**
     * The typed event.
     *
     * @return the event this message carries
     * @throws IllegalStateException when this is not one
     */
    public ChangeEvent event() {
        if (event == null) {
            throw new IllegalStateException("not a typed event");
        }
        return event;
    }

    /** {@return the message's position, or for a progress report the position everything before which was sent} */
    public Lsn position() {
        return position;
    }

    /** {@return the end of the source's log as last known} */
    public Lsn serverEnd() {
        return serverEnd;
    }

    /**
     * The message bytes.
     *
     * @return a read-only view of the message's bytes
     * @throws IllegalStateException for a progress report
     */
    public ByteBuffer payload() {
        if (payload == null) {
            throw new IllegalStateException(
                    event != null ? "a typed event has no payload" : "a progress report has no payload");
        }
        return payload;
    }

    @Override
    public String toString() {
        return isProgress()
                ? "RawMessage[progress " + position + "]"
                : event != null
                        ? "RawMessage[" + position + ", " + event.getClass().getSimpleName() + "]"
                        : "RawMessage[" + position + ", " + payload.remaining() + " bytes]";
    }
}

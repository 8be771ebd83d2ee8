package io.zeroetl.spi;

import io.zeroetl.Lsn;
import io.zeroetl.change.ChangeEvent;
import java.util.Objects;

/**
 * What a {@link WalStream} reads: a typed change event and where it lies in the source's log, or a progress
 * report saying the source has sent everything before a position. The stream decodes its source's own format
 * itself; the engine only ever sees typed events.
 *
 * @param position where the event lies in the source's log; for a progress report the position every change
 *     before which was delivered
 * @param serverEnd the end of the source's log when the item was read ({@link Lsn#NONE} if unknown)
 * @param event the event, or null for a progress report
 */
public record StreamItem(Lsn position, Lsn serverEnd, ChangeEvent event) {
    /**
     * Checks the positions.
     *
     * @param position where the item lies
     * @param serverEnd the end of the source's log as last known
     * @param event the event, or null for a progress report
     */
    public StreamItem {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(serverEnd, "serverEnd");
    }

    /**
     * {@return a change event}
     *
     * @param position where it lies in the source's log
     * @param serverEnd the end of the source's log when it was read ({@link Lsn#NONE} if unknown)
     * @param event the event
     */
    public static StreamItem of(Lsn position, Lsn serverEnd, ChangeEvent event) {
        return new StreamItem(position, serverEnd, Objects.requireNonNull(event, "event"));
    }

    /**
     * A progress report: every change before {@code sentUpTo} has been delivered by earlier reads. When the
     * engine has applied everything it was given, it may acknowledge this position, so an idle slot does not
     * hold back the source's log.
     *
     * @param sentUpTo the position every change before which was delivered
     * @return the progress report
     */
    public static StreamItem progress(Lsn sentUpTo) {
        return new StreamItem(sentUpTo, sentUpTo, null);
    }

    /** {@return whether this is a progress report rather than an event} */
    public boolean isProgress() {
        return event == null;
    }
}

package io.zeroetl.spi;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import java.time.Duration;
import java.util.Optional;

/**
 * An open change stream: typed events in the source's commit order, read by the engine's reader thread,
 * which acknowledges what the target committed. The stream decodes its source's own format; what it says
 * about the tables as it opens is its {@link #opening()}, and a table is copied again through
 * {@link #copyTable}. The engine calls every method from one thread.
 */
public interface WalStream extends AutoCloseable {
    /**
     * The next event or progress report, waiting up to {@code timeout}; null when none came in time. Keeps the
     * source connection alive (status updates) while it waits.
     *
     * @param timeout how long to wait at most
     * @return the next item, or null
     * @throws io.zeroetl.RetriableException when the connection is lost
     */
    StreamItem read(Duration timeout);

    /**
     * Everything up to {@code durable} is committed in the target: the source may release its log up to
     * there. Sent to the source with the next status update. Never called with a position the target has
     * not committed.
     *
     * @param durable the position up to which the target holds everything
     */
    void acknowledge(Lsn durable);

    /** {@return what the stream says about the tables as it opens: by default, that it streams them all} */
    default StreamOpening opening() {
        return StreamOpening.PLAIN;
    }

    /**
     * Copies {@code table} again while the stream goes on: the copy arrives as a transaction (Truncate,
     * Inserts, {@link io.zeroetl.change.SnapshotEvent}s) at a point of the stream consistent with it.
     *
     * @param table the selected table to copy
     * @return empty when the copy is on its way; why not otherwise (the table then fails with that reason).
     *     By default a stream cannot copy tables
     */
    default Optional<String> copyTable(TableId table) {
        return Optional.of("this source cannot copy a table again");
    }

    /** Closes the stream; acknowledged positions are sent first where possible. */
    @Override
    void close();
}

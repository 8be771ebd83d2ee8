package io.zeroetl.spi;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An open change stream. The engine calls all three methods from one thread.
 */
public interface WalStream extends AutoCloseable {
    /**
     * The next message or progress report, waiting up to {@code timeout}; null when none came in time.
     * Keeps the source connection alive (status updates) while it waits.
     *
     * @param timeout how long to wait at most
     * @return the next message or progress report, or null
     * @throws io.zeroetl.RetriableException when the connection is lost
     */
    RawMessage read(Duration timeout);

    /**
     * Everything up to {@code durable} is committed in the target: the source may release its log up to
     * there. Sent to the source with the next status update. Never called with a position the target has
     * not committed.
     *
     * @param durable the position up to which the target holds everything
     */
    void acknowledge(Lsn durable);

    /**
     * Whether the stream's first transaction is an initial copy of the tables (rows as inserts, with
     * {@link io.zeroetl.change.SnapshotEvent}s), committing at the position streaming continues from.
     *
     * @return whether an initial copy comes first
     */
    default boolean startsWithSnapshot() {
        return false;
    }

    /**
     * Selected tables the source cannot stream, with the reason (e.g. no primary key); the engine marks
     * them FAILED and goes on with the others.
     *
     * @return the tables left out, with the reason; empty by default
     */
    default Map<TableId, String> unavailableTables() {
        return Map.of();
    }

    /**
     * Tables this stream was asked to copy as it opened (e.g. newly selected ones on a resumed stream); the
     * engine shows them SNAPSHOTTING, not SYNCED, until their copy commits.
     *
     * @return the tables; empty by default
     */
    default Set<TableId> copiesPending() {
        return Set.of();
    }

    /**
     * What of each selected table the source cannot deliver exactly (e.g. generated columns it does not
     * publish), shown in the table's status; the table still replicates.
     *
     * @return the notes by table; empty by default
     */
    default Map<TableId, String> notes() {
        return Map.of();
    }

    /**
     * Copies {@code table} again while the stream goes on: the copy arrives as a transaction (Truncate,
     * Inserts, {@link io.zeroetl.change.SnapshotEvent}s) at a point of the stream consistent with it.
     * Called from the reader thread.
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

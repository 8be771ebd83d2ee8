package io.zeroetl.spi;

import io.zeroetl.TableId;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a stream says about the tables as it opens; read once, right after {@link WalReader#open}.
 *
 * @param startsWithCopy whether the stream's first transaction is an initial copy of the tables (rows as
 *     inserts, with {@link io.zeroetl.change.SnapshotEvent}s), committing at the position streaming continues
 *     from
 * @param unavailable selected tables the source cannot stream, with the reason (e.g. no primary key); the
 *     engine marks them FAILED and goes on with the others
 * @param copiesPending tables the stream was asked to copy as it opened (e.g. newly selected ones on a resumed
 *     stream); the engine shows them SNAPSHOTTING, not SYNCED, until their copy commits
 * @param notes what of each selected table the source cannot deliver exactly (e.g. generated columns it does
 *     not publish), shown in the table's status; the table still replicates
 */
public record StreamOpening(
        boolean startsWithCopy,
        Map<TableId, String> unavailable,
        Set<TableId> copiesPending,
        Map<TableId, String> notes) {
    /** A stream that streams every selected table, with nothing to copy first and nothing to note. */
    public static final StreamOpening PLAIN = new StreamOpening(false, Map.of(), Set.of(), Map.of());

    /**
     * Copies the collections.
     *
     * @param startsWithCopy whether an initial copy comes first
     * @param unavailable tables that cannot be streamed, with the reason
     * @param copiesPending tables copied before they stream
     * @param notes what of each table cannot be delivered exactly
     */
    public StreamOpening {
        unavailable = Map.copyOf(Objects.requireNonNull(unavailable, "unavailable"));
        copiesPending = Set.copyOf(Objects.requireNonNull(copiesPending, "copiesPending"));
        notes = Map.copyOf(Objects.requireNonNull(notes, "notes"));
    }
}

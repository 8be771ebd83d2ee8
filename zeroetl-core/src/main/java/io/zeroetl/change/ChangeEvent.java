package io.zeroetl.change;

/**
 * One event of the change stream, in source order. Row changes, truncates, schema changes and
 * transactional messages are enclosed by a {@link BeginEvent} and a {@link CommitEvent}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface ChangeEvent
        permits BeginEvent,
                CommitEvent,
                RelationEvent,
                RowChange,
                TruncateEvent,
                SchemaChangeEvent,
                MessageEvent,
                SnapshotEvent {

    /**
     * Roughly how much memory this event holds, in bytes; the engine bounds its buffers with it. A
     * decoder sets it from the size of the message it decoded.
     *
     * @return the estimate in bytes
     */
    int estimatedBytes();
}

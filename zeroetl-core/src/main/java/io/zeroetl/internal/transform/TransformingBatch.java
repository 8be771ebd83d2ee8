package io.zeroetl.internal.transform;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.spi.Batch;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/** A batch whose events pass through a {@link Transformer} on their way to the applier. */
public final class TransformingBatch implements Batch {
    private final Batch batch;
    private final Transformer transformer;
    private final Deque<ChangeEvent> pending = new ArrayDeque<>();

    /** Wraps {@code batch}. */
    public TransformingBatch(Batch batch, Transformer transformer) {
        this.batch = batch;
        this.transformer = transformer;
    }

    @Override
    public ChangeEvent next() {
        while (pending.isEmpty()) {
            ChangeEvent event = batch.next();
            if (event == null) {
                return null;
            }
            pending.addAll(transformer.apply(event));
        }
        return pending.poll();
    }

    @Override
    public Lsn endPosition() {
        return batch.endPosition();
    }

    @Override
    public Optional<Map<TableId, TableId>> firstNames() {
        return batch.firstNames();
    }

    @Override
    public Instant lastCommitTime() {
        return batch.lastCommitTime();
    }
}

package io.zeroetl.spi;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.ChangeEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whole source transactions to apply as one target transaction, read once, in order. Events may still
 * be arriving while the applier reads: {@link #next()} waits for them, so a batch larger than memory
 * streams through.
 *
 * <pre>{@code
 * for (ChangeEvent e = batch.next(); e != null; e = batch.next()) {
 *     stage(e);
 * }
 * commitWithPosition(batch.endPosition());
 * }</pre>
 *
 * <p>Used from the applier's thread only.
 */
public interface Batch {
    /**
     * The next event, or null at the end of the batch (always just after a {@link
     * io.zeroetl.change.CommitEvent}).
     *
     * @return the next event, or null after the batch's last commit
     * @throws io.zeroetl.RetriableException when the stream broke mid-batch: roll back, the batch comes again
     */
    ChangeEvent next();

    /**
     * The position to store with the batch: the end of its last transaction.
     *
     * @return the end of the batch's last transaction
     * @throws IllegalStateException before {@link #next()} returned null
     */
    Lsn endPosition();

    /**
     * The source commit time of the batch's last transaction.
     *
     * @return when the batch's last transaction committed at the source
     * @throws IllegalStateException before {@link #next()} returned null
     */
    Instant lastCommitTime();

    /**
     * The names the host's per-table settings know renamed tables by, when this batch changed them: each source
     * table renamed at the source and followed (now or earlier), by its name now, with the name it was first
     * replicated under. An applier that records them stores them with the batch, replacing what it had, and gives
     * them back from {@link ChangeApplier#firstNames()}; a renamed table then keeps its settings across restarts.
     *
     * @return all such names after this batch, or empty when the batch changed none
     * @throws IllegalStateException before {@link #next()} returned null
     */
    default Optional<Map<TableId, TableId>> firstNames() {
        return Optional.empty();
    }
}

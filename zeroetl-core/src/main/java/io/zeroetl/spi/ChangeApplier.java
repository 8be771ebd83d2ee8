package io.zeroetl.spi;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies batches of whole source transactions to the target, each atomically together with its
 * position, so that after a crash the pipeline resumes exactly where the target left off.
 *
 * <p>Called from one engine thread; {@link #close()} may come from another.
 */
public interface ChangeApplier extends AutoCloseable {
    /**
     * Prepares the target and returns the last position committed for {@code context.pipelineId()};
     * empty when the pipeline has never committed.
     *
     * @param context the pipeline's id, its tables and how target tables map to source tables
     * @return the last committed position, or empty
     */
    Optional<Lsn> start(ApplierContext context);

    /**
     * Applies {@code batch} and its {@link Batch#endPosition()} in one target transaction: either all of
     * it takes effect, or none.
     *
     * @param batch the whole transactions to apply, read to its end
     * @throws io.zeroetl.RetriableException on a transient failure (rolled back; the engine retries)
     * @throws io.zeroetl.TableFailedException when some tables cannot go on (rolled back; the engine
     *     retries without them)
     */
    void apply(Batch batch);

    /**
     * Tables the target has recorded as FAILED, with their reasons, asked right after {@link #start}: they
     * stay FAILED across restarts (their later changes were never applied) until they are copied again.
     *
     * @return the FAILED tables (target ids) with their reasons; empty by default
     */
    default Map<TableId, String> failedTables() {
        return Map.of();
    }

    /**
     * Tables the target has recorded as dropped at the source (and not created again since), asked right after
     * {@link #start}: they stay DROPPED across restarts and takeovers, and the source is not asked for them.
     *
     * @return the target ids of the DROPPED tables; empty by default
     */
    default Set<TableId> droppedTables() {
        return Set.of();
    }

    /**
     * Tables the target holds a committed copy of (including those FAILED since), asked right after
     * {@link #start} when resuming; empty when this applier keeps no such record. A selected table missing
     * from it never had its copy committed — the pipeline stopped while copying a table that joined — and
     * is copied again.
     *
     * @return the target ids of the tables with a committed copy, or empty when not recorded
     */
    default Optional<Set<TableId>> copiedTables() {
        return Optional.empty();
    }

    /**
     * The copies the target holds in part, asked right after {@link #start} when resuming: each table whose copy
     * committed some of its parts ({@link io.zeroetl.change.SnapshotEvent.Phase#CHUNK}) and not its end, with
     * the progress its last committed part recorded, exactly as the source sent it. The source resumes those
     * copies after that part instead of starting them over. An applier that keeps no such record returns
     * nothing, and such copies start over.
     *
     * @return the target ids of the tables copied in part, with their recorded progress; empty by default
     */
    default Map<TableId, String> copyProgress() {
        return Map.of();
    }

    /**
     * The names recorded from {@link Batch#firstNames()}, asked right after {@link #start}: each source table renamed
     * at the source and followed, by its name now, with the name it was first replicated under. Empty (the default)
     * when this applier records no names: the pipeline then follows no rename of a table its rules name (the table's
     * new name is copied afresh), since after a restart its rules would no longer be found.
     *
     * @return the recorded names, or empty when this applier does not record them
     */
    default Optional<Map<TableId, TableId>> firstNames() {
        return Optional.empty();
    }

    /** Releases connections. Idempotent. */
    @Override
    void close();
}

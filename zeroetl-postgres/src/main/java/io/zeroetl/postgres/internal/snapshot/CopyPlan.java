package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.postgres.internal.replication.Connections;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How the copy is to be done. {@code inParts}: commit each group of tasks with its progress; {@code resume}:
 * tables whose copy in parts stopped, with the progress their last committed part recorded; {@code
 * changedSince}: whether a resumed table changed since its recorded point in a way keys cannot mend (then it is
 * copied whole); {@code changedKeys}: the keys of its rows changed since (deleted in the target and read again).
 */
public record CopyPlan(
        Connections connections,
        Connection export,
        String snapshotName,
        Lsn consistentPoint,
        List<TableId> tables,
        int parallelism,
        long blocksPerChunk,
        boolean rangeScans,
        PgTypes types,
        boolean generatedColumns,
        boolean rawText,
        boolean inParts,
        Map<TableId, String> resume,
        Predicate<TableId> changedSince,
        Function<TableId, Set<List<Object>>> changedKeys) {
    /** A plan that copies every table whole, in one transaction. */
    public CopyPlan(
            Connections connections,
            Connection export,
            String snapshotName,
            Lsn consistentPoint,
            List<TableId> tables,
            int parallelism,
            long blocksPerChunk,
            boolean rangeScans,
            PgTypes types,
            boolean generatedColumns,
            boolean rawText) {
        this(
                connections,
                export,
                snapshotName,
                consistentPoint,
                tables,
                parallelism,
                blocksPerChunk,
                rangeScans,
                types,
                generatedColumns,
                rawText,
                false,
                Map.of(),
                t -> true,
                t -> Set.of());
    }

    /** This plan, committed in parts (each group of tasks with its progress). */
    public CopyPlan committedInParts() {
        return resuming(resume, changedSince, changedKeys);
    }

    /**
     * This plan in parts, resuming the copies {@code resume} records unless {@code changedSince} says not; the
     * rows with {@code changedKeys} are deleted and read again.
     */
    public CopyPlan resuming(
            Map<TableId, String> resume,
            Predicate<TableId> changedSince,
            Function<TableId, Set<List<Object>>> changedKeys) {
        return new CopyPlan(
                connections,
                export,
                snapshotName,
                consistentPoint,
                tables,
                parallelism,
                blocksPerChunk,
                rangeScans,
                types,
                generatedColumns,
                rawText,
                true,
                Map.copyOf(resume),
                changedSince,
                changedKeys);
    }
}

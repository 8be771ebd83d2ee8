package io.zeroetl.change;

import io.zeroetl.TableId;
import java.util.Objects;

/**
 * Progress of a table's copy, inside the transactions that carry the copied rows (as inserts). A copy commits
 * at the position streaming resumes from: either whole, in one transaction, or in parts (a source that can
 * resume a copy sends it as a transaction per part, each beginning with a {@link Phase#CHUNK} event that says
 * how far the copy stands once that transaction commits).
 *
 * @param table the table being copied
 * @param phase where the copy of this table stands
 * @param rows rows copied so far (for {@link Phase#CHUNK}: before this part)
 * @param estimatedRows the source's estimate of the table's rows (-1 when unknown)
 * @param progress the source's own record of how far the copy stands when this transaction commits, which the
 *     target keeps with the table and gives back at the next start ({@link
 *     io.zeroetl.spi.ChangeApplier#copyProgress}); empty when the copy cannot resume
 */
public record SnapshotEvent(TableId table, Phase phase, long rows, long estimatedRows, String progress)
        implements ChangeEvent, TableEvent {
    /** Where a table's copy stands. */
    public enum Phase {
        /** The copy begins: the table's rows are replaced by those that follow. */
        STARTED,
        /**
         * A part of the copy: the table's copied rows that follow in this transaction are not in the target yet
         * (they may go straight in), and when it commits the copy stands at the event's progress.
         */
        CHUNK,
        /** All rows of the table have been sent. */
        FINISHED
    }

    /**
     * Checks table and phase.
     *
     * @param table the table being copied
     * @param phase where the copy of this table stands
     * @param rows rows copied so far
     * @param estimatedRows the source's estimate of the table's rows (-1 when unknown)
     * @param progress the source's record of the copy's progress, empty when it cannot resume
     */
    public SnapshotEvent {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(progress, "progress");
    }

    /**
     * A copy's event without a record of progress (the copy cannot resume).
     *
     * @param table the table being copied
     * @param phase where the copy of this table stands
     * @param rows rows copied so far
     * @param estimatedRows the source's estimate of the table's rows (-1 when unknown)
     */
    public SnapshotEvent(TableId table, Phase phase, long rows, long estimatedRows) {
        this(table, phase, rows, estimatedRows, "");
    }

    @Override
    public int estimatedBytes() {
        return 96 + progress.length() * 2;
    }
}

package io.zeroetl.change;

import io.zeroetl.TableId;
import java.util.Objects;

/**
 * Progress of a table's initial copy, inside the transaction that carries the copied rows (as inserts).
 * The copy transaction commits at the position streaming resumes from, so the target shows either none
 * of it or all of it.
 *
 * @param table the table being copied
 * @param phase where the copy of this table stands
 * @param rows rows copied so far
 * @param estimatedRows the source's estimate of the table's rows (-1 when unknown)
 */
public record SnapshotEvent(TableId table, Phase phase, long rows, long estimatedRows)
        implements ChangeEvent, TableEvent {
    /** Where a table's copy stands. */
    public enum Phase {
        /** The copy begins; its rows follow. */
        STARTED,
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
     */
    public SnapshotEvent {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(phase, "phase");
    }

    @Override
    public int estimatedBytes() {
        return 96;
    }
}

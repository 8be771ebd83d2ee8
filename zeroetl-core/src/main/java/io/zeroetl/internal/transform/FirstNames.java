package io.zeroetl.internal.transform;

import io.zeroetl.TableId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The name the host's per-table settings know each source table by. A table renamed at the source and followed
 * keeps the settings of the name it was first replicated under (its rules, and the target's own per-table
 * settings), so its target table's shape and settings do not change with its name; settings that name its new
 * name win over them.
 *
 * <p>The names committed with the last batch are the target's record ({@link io.zeroetl.spi.Batch#firstNames});
 * the batch being applied adds its own steps as it is read, so its later events already go by them. One per
 * pipeline, shared by its transformers and its applier; read from any thread.
 */
public final class FirstNames {
    /**
     * A step of a batch, in order: {@code from} renamed to {@code to} and followed; with a null {@code to},
     * {@code from} left the pipeline (dropped, renamed and not followed); with a null {@code from}, a new table
     * named {@code to} joined (created, or renamed into the selection and not followed), going by its own name.
     *
     * @param from the table's name before the step, or null for a new table
     * @param to its new name, or null when the table left the pipeline
     */
    public record Step(TableId from, TableId to) {}

    private volatile Map<TableId, TableId> committed = Map.of();
    private volatile List<Step> reading = List.of();
    private volatile boolean recorded;

    /**
     * The name the host's settings know {@code table} by, as of the events read so far.
     *
     * @param table a source table's name now
     * @return the name it was first replicated under; itself when it was never renamed
     */
    public TableId of(TableId table) {
        List<Step> steps = reading;
        return of(table, steps, steps.size());
    }

    private TableId of(TableId table, List<Step> steps, int before) {
        for (int i = before - 1; i >= 0; i--) {
            Step step = steps.get(i);
            if (table.equals(step.to())) {
                return step.from() == null ? table : of(step.from(), steps, i);
            }
            // a table that left in the batch is still known by its name until a new one takes it (what it
            // staged before is merged after)
        }
        return committed.getOrDefault(table, table);
    }

    /**
     * The names the target recorded, at start: each renamed table's name now with its first name.
     *
     * @param names as {@link io.zeroetl.spi.ChangeApplier#firstNames} gave them; empty when the target records none
     */
    public void restore(Optional<Map<TableId, TableId>> names) {
        recorded = names.isPresent();
        committed = Map.copyOf(names.orElse(Map.of()));
        reading = List.of();
    }

    /** {@return whether the target records the names (renames of tables with rules can be followed)} */
    public boolean recorded() {
        return recorded;
    }

    /**
     * A batch is read from here on; its steps go into {@code steps} as it is read (a list safe to read from other
     * threads while the batch's thread adds to it).
     *
     * @param steps the batch's steps so far, added to in order
     */
    public void reading(List<Step> steps) {
        reading = steps;
    }

    /**
     * The names once {@code steps} commit.
     *
     * @param steps a batch's steps, in order
     * @return the names after them, or empty when they change nothing
     */
    public Optional<Map<TableId, TableId>> after(List<Step> steps) {
        Map<TableId, TableId> next = new HashMap<>(committed);
        for (Step step : steps) {
            TableId first = step.from() == null ? null : next.remove(step.from());
            if (step.from() == null) {
                next.remove(step.to());
            } else if (step.to() != null) {
                next.remove(step.to());
                TableId name = first != null ? first : step.from();
                if (!name.equals(step.to())) {
                    next.put(step.to(), name);
                }
            }
        }
        return next.equals(committed) ? Optional.empty() : Optional.of(Map.copyOf(next));
    }

    /**
     * A batch committed: {@code names} (from {@link #after}) are the record now.
     *
     * @param names the names after the batch, or empty when it changed none
     */
    public void commit(Optional<Map<TableId, TableId>> names) {
        names.ifPresent(n -> committed = Map.copyOf(n));
        reading = List.of();
    }

    /**
     * The names committed.
     *
     * @return each renamed table's name now with its first name
     */
    public Map<TableId, TableId> committed() {
        return committed;
    }
}

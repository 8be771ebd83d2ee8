package io.zeroetl;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a validation found, table by table.
 *
 * @param position the source snapshot's position the target was compared at (at least)
 * @param tables one result per table, in the order asked
 */
public record ValidationReport(Lsn position, List<TableValidation> tables) {
    /**
     * Copies the list.
     *
     * @param position the source snapshot's position the target was compared at (at least)
     * @param tables one result per table, in the order asked
     */
    public ValidationReport {
        tables = List.copyOf(tables);
    }

    /** {@return whether every table is {@link TableValidation.Outcome#CLEAN}} */
    public boolean clean() {
        return tables.stream().allMatch(t -> t.outcome() == TableValidation.Outcome.CLEAN);
    }

    /**
     * {@return the result for {@code table} ({@code schema.table})}
     *
     * @param table the source table, {@code schema.table}
     */
    public TableValidation table(String table) {
        TableId id = TableId.parse(table);
        return tables.stream()
                .filter(t -> t.table().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(table + " was not validated"));
    }

    @Override
    public String toString() {
        return "Validation at " + position + (clean() ? ": clean" : ": NOT clean") + "\n  "
                + tables.stream().map(TableValidation::toString).collect(Collectors.joining("\n  "));
    }
}

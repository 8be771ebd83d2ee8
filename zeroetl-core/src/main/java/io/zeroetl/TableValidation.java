package io.zeroetl;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of validating one table.
 *
 * @param table the source table
 * @param outcome the verdict
 * @param reason why the table was not compared ({@link Outcome#FAILED_TABLE}, {@link Outcome#NOT_COMPARED}),
 *     else null
 * @param sourceRows rows in the source snapshot
 * @param targetRows rows in the target
 * @param sourceChecksum the source's order-independent content checksum (hex)
 * @param targetChecksum the target's (hex); equal to the source's when the contents are equal
 * @param differences the differing rows found (at most the validation's limit)
 * @param moreDifferences whether more rows differ than are listed
 * @param converted rows that differ only in values a value policy converted (recorded in the target's
 *     {@code zeroetl_errors}); not counted as differences
 * @param unconfirmed rows that differed but changed again in every recheck, so writes going on could
 *     explain them; not counted as differences (validate again when writes pause to confirm them)
 * @param uncomparedColumns columns left out because the target cannot give their canonical text
 * @param elapsed how long the table took
 */
public record TableValidation(
        TableId table,
        Outcome outcome,
        String reason,
        long sourceRows,
        long targetRows,
        String sourceChecksum,
        String targetChecksum,
        List<RowDifference> differences,
        boolean moreDifferences,
        long converted,
        long unconfirmed,
        List<String> uncomparedColumns,
        Duration elapsed) {
    /** The verdict on a table. */
    public enum Outcome {
        /** Same rows, same values. */
        CLEAN,
        /** Rows differ: see {@link #differences()}. */
        MISMATCH,
        /** The pipeline holds the table as FAILED; its target is not expected to match. */
        FAILED_TABLE,
        /** The table could not be compared (e.g. it does not exist in the source); see the reason. */
        NOT_COMPARED
    }

    /**
     * Copies the lists.
     *
     * @param table the source table
     * @param outcome the verdict
     * @param reason why the table was not compared ({@link Outcome#FAILED_TABLE}, {@link Outcome#NOT_COMPARED}), else
     *     null
     * @param sourceRows rows in the source snapshot
     * @param targetRows rows in the target
     * @param sourceChecksum the source's order-independent content checksum (hex)
     * @param targetChecksum the target's (hex); equal to the source's when the contents are equal
     * @param differences the differing rows found (at most the validation's limit)
     * @param moreDifferences whether more rows differ than are listed
     * @param converted rows that differ only in values a value policy converted (recorded in the target's {@code
     *     zeroetl_errors}); not counted as differences
     * @param unconfirmed rows that differed but changed again in every recheck, so writes going on could explain
     *     them; not counted as differences (validate again when writes pause to confirm them)
     * @param uncomparedColumns columns left out because the target cannot give their canonical text
     * @param elapsed how long the table took
     */
    public TableValidation {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(outcome, "outcome");
        differences = List.copyOf(differences);
        uncomparedColumns = List.copyOf(uncomparedColumns);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(table.toString()).append(": ").append(outcome);
        if (reason != null) {
            sb.append(" (").append(reason).append(')');
        }
        // the counts and checksums are the first snapshot's: under writes they may differ while every
        // difference was rechecked and matched, which the line says rather than leave it looking contradictory
        sb.append(", first snapshot: source ")
                .append(sourceRows)
                .append(" rows, target ")
                .append(targetRows)
                .append(" rows, checksums ")
                .append(sourceChecksum)
                .append(" / ")
                .append(targetChecksum);
        if (outcome == Outcome.CLEAN && (sourceRows != targetRows || !Objects.equals(sourceChecksum, targetChecksum))) {
            sb.append(" (rows changed under writes; each differing row matched when rechecked)");
        }
        if (converted > 0) {
            sb.append(", ").append(converted).append(" converted by value policy");
        }
        if (unconfirmed > 0) {
            sb.append(", ").append(unconfirmed).append(" changing too often to confirm");
        }
        if (!uncomparedColumns.isEmpty()) {
            sb.append(", not compared: ").append(uncomparedColumns);
        }
        for (RowDifference d : differences) {
            sb.append("\n    ").append(d);
        }
        if (moreDifferences) {
            sb.append("\n    ... and more");
        }
        return sb.toString();
    }
}

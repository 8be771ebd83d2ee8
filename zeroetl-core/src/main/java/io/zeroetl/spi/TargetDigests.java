package io.zeroetl.spi;

import io.zeroetl.TableId;
import io.zeroetl.change.TableSchema;
import java.util.Map;
import java.util.Set;

/**
 * The target's side of a validation: {@link RowDigests} over the target's tables (as the pipeline
 * named it and mapped them), plus what the target knows about failures and conversions.
 */
public interface TargetDigests extends RowDigests {
    /** {@return the pipeline's tables the target holds as FAILED, with their reasons, as of the current snapshot} */
    Map<TableId, String> failedTables();

    /**
     * The columns of {@code table} whose target representation has no canonical text (e.g. a host's own
     * type mapping); they are left out of the comparison and reported.
     *
     * @param table the source table as the pipeline replicates it
     * @return the names of the columns left out of the comparison
     */
    Set<String> uncomparableColumns(TableSchema table);

    /**
     * Values converted by a value policy (recorded in the target), by row key: the key in the form
     * {@code col=value, col=value} (canonical texts) to the converted columns.
     *
     * @param table the source table as the pipeline replicates it
     * @return the converted columns by row key; empty when none was converted
     */
    Map<String, Set<String>> conversions(TableSchema table);

    /**
     * The ids of the pipelines the target holds a position for, so that validating one it never saw
     * ({@link #refresh()} returning {@link io.zeroetl.Lsn#NONE}) can say which it knows. Empty by default.
     *
     * @return the pipelines' ids
     */
    default Set<String> pipelines() {
        return Set.of();
    }

    /**
     * The pipeline's tables whose copy the target awaits, as of the current snapshot (a resync, a table created
     * again at the source): validation waits for their copy to commit rather than compare what they held
     * before. Empty by default.
     *
     * @return the tables
     */
    default Set<TableId> copying() {
        return Set.of();
    }
}

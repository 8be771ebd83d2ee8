package io.zeroetl.redshift.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * How one table's staged changes and its TRUNCATEs take effect, by the table's {@link TargetTable.Mode}:
 * each strategy owns both its merge SQL and its TRUNCATE SQL.
 */
interface MergeStrategy {
    /** Applies the staged changes (unchanged values already filled) to the target table. */
    void merge(Statement s, StageTable stage) throws SQLException;

    /** Applies a source TRUNCATE committed at {@code time}, inside the batch's transaction. */
    void truncate(Connection c, TargetTable table, Instant time) throws SQLException;

    /** The strategy for {@code table}. */
    static MergeStrategy of(TargetTable table) {
        return switch (table.mode) {
            case KEYED -> KeyedMerge.INSTANCE;
            case HISTORY -> HistoryMerge.INSTANCE;
            case MULTISET -> MultisetMerge.INSTANCE;
        };
    }
}

package io.zeroetl;

import io.zeroetl.change.TableSchema;
import io.zeroetl.spi.SourceDigests;
import io.zeroetl.spi.WalReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where changes come from: a {@link WalReader}, whose streams hand the engine typed events.
 * {@code io.zeroetl.postgres.PostgresSource} is the PostgreSQL one; any part of it can be replaced.
 *
 * <p>Implementations are immutable and thread-safe, and their {@code toString()} shows no credentials.
 */
public interface Source {
    /** {@return the reader of the source's change stream; the same instance for the life of the source} */
    WalReader reader();

    /**
     * The source's tables (for {@link PipelineBuilder#include(String...)} patterns).
     *
     * @return the source's tables
     * @throws ZeroEtlException (configuration) when this source cannot list them
     */
    default List<TableId> listTables() {
        throw ZeroEtlException.configuration(
                "include", getClass().getName() + " cannot list its tables: name them with tables(...) instead");
    }

    /**
     * The partitions among {@code tables}, each with its partitioned ancestors, nearest first. A source that
     * replicates a partitioned table as one table (its partitions' rows as its own) says so here, and a pipeline
     * that selects both a partitioned table and its partitions replicates the partitioned table alone. The default
     * knows of no partitions.
     *
     * @param tables the selected tables
     * @return for each partition among them, its ancestors (nearest first); others are absent
     */
    default Map<TableId, List<TableId>> partitionAncestors(Set<TableId> tables) {
        return Map.of();
    }

    /**
     * {@return whether this source can {@link #describe} tables; when not, rules are checked when a table's
     * first description arrives in the stream instead of at start}
     */
    default boolean describesTables() {
        return false;
    }

    /**
     * The table's current columns and key, to check rules against at start; empty when it does not exist.
     * Called only when {@link #describesTables()}.
     *
     * @param table the table
     * @return its columns and key, or empty
     * @throws UnsupportedOperationException when this source cannot describe tables
     */
    default Optional<TableSchema> describe(TableId table) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot describe tables");
    }

    /**
     * A new connection for validation (see {@link ZeroEtl#validate(Source, Target)}), positioned on no
     * snapshot yet; the caller closes it.
     *
     * @return a new connection for validation
     * @throws ZeroEtlException when this source cannot be validated
     */
    default SourceDigests digests() {
        throw new ZeroEtlException(ErrorCode.CONFIGURATION, getClass().getName() + " cannot be validated");
    }
}

package io.zeroetl.redshift.internal;

import io.zeroetl.TableId;
import io.zeroetl.redshift.Distribution;
import io.zeroetl.redshift.DroppedTables;
import io.zeroetl.redshift.StagingLoader;
import io.zeroetl.redshift.ValuePolicy;
import io.zeroetl.spi.TypeMapper;
import java.util.Map;

/**
 * How a {@link RedshiftApplier} works, as configured on {@code RedshiftTarget}.
 *
 * @param targetSchema the one schema all tables go to, or null to keep each source schema's name
 * @param stateSchema where zeroetl_state, zeroetl_table_state and zeroetl_errors live
 * @param mapper the type mapper
 * @param defaultPolicy what to do with values the target cannot hold
 * @param policies per-table exceptions to {@code defaultPolicy}
 * @param loader loads staging tables
 * @param distributions per-table distribution styles (others: KEY when there is a key, else AUTO)
 * @param lockTables whether each batch first locks the tables it may touch, in a fixed order
 * @param droppedTables what a source DROP TABLE does to the target table
 * @param requireCaseSensitiveIdentifiers whether a table with mixed-case target names fails when the cluster's
 *     other sessions cannot address them (else a warning)
 * @param legacyStateSchema where earlier versions kept zeroetl_state when no state schema was set (a position
 *     found there is moved to {@code stateSchema}), or null
 */
public record ApplierSettings(
        String targetSchema,
        String stateSchema,
        TypeMapper mapper,
        ValuePolicy defaultPolicy,
        Map<TableId, ValuePolicy> policies,
        StagingLoader loader,
        Map<TableId, Distribution> distributions,
        boolean lockTables,
        DroppedTables droppedTables,
        boolean requireCaseSensitiveIdentifiers,
        String legacyStateSchema) {
    /** Copies the maps. */
    public ApplierSettings {
        policies = Map.copyOf(policies);
        distributions = Map.copyOf(distributions);
    }
}

package io.zeroetl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a committed batch that asks for a table's copy means for the table's state. */
class TableTransitionsTest {
    private static final TableId ITEMS = TableId.of("public", "items");
    private static final TableSchema SCHEMA = new TableSchema(
            ITEMS,
            List.of(new Column("id", ColumnType.of(ValueType.INT32), true, false)),
            TableSchema.ReplicaIdentity.DEFAULT);

    /**
     * Found by the long generator run (seed -420735754167384724, round 3): a table whose first copy a kill cut off
     * was SNAPSHOTTING with its copy asked for again; a schema change asking for a copy turned it RESYNCING, so its
     * streamed changes stopped waiting for the copy and reached a target that did not hold its rows (the table
     * failed for unchanged TOAST values nothing could fill).
     */
    @Test
    void aTableStillAwaitingItsFirstCopyStaysSnapshottingWhenASchemaChangeAsksForAnother() {
        TableRegistry registry = new TableRegistry(Set.of(ITEMS), TableState.SNAPSHOTTING, List.of());
        List<TableId> requested = new ArrayList<>();

        committedWithRecopy(registry, requested, new HashSet<>(Set.of(ITEMS)));

        assertThat(registry.stateOf(ITEMS)).isEqualTo(TableState.SNAPSHOTTING);
        assertThat(requested).containsExactly(ITEMS);
    }

    @Test
    void aSyncedTableAskedForACopyByASchemaChangeIsResyncing() {
        TableRegistry registry = new TableRegistry(Set.of(ITEMS), TableState.SYNCED, List.of());
        List<TableId> requested = new ArrayList<>();

        committedWithRecopy(registry, requested, new HashSet<>());

        assertThat(registry.stateOf(ITEMS)).isEqualTo(TableState.RESYNCING);
        assertThat(requested).containsExactly(ITEMS);
    }

    private static void committedWithRecopy(
            TableRegistry registry, List<TableId> requested, Set<TableId> copyRequests) {
        TableTransitions transitions =
                new TableTransitions("p", registry, new Lifecycle("p", List.of()), requested::add, t -> t);
        BatchTables batch = new BatchTables(Set.of(ITEMS)::contains, change -> false, new CopyProgress(registry));
        batch.account(
                new SchemaChangeEvent(ITEMS, "ALTER TABLE", "", SCHEMA, Map.of(), null, "column added with a default"));
        transitions.committed(batch, copyRequests);
    }
}

package io.zeroetl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which tables a pipeline replicates when partitions are among them: a selected partitioned table takes its
 * partitions' rows in, at any depth; partitions selected without it stay tables of their own.
 */
class TablePatternTest {
    private static final TableId EVENTS = TableId.parse("public.events");
    private static final TableId Y2026 = TableId.parse("public.events_2026");
    private static final TableId Y2026_01 = TableId.parse("public.events_2026_01");
    private static final TableId ORDERS = TableId.parse("public.orders");
    private static final Map<TableId, List<TableId>> TREE =
            Map.of(Y2026, List.of(EVENTS), Y2026_01, List.of(Y2026, EVENTS));

    @Test
    void aPatternThatMatchesAPartitionedTableAndItsPartitionsReplicatesThePartitionedTableAlone() {
        Set<TableId> matched = TablePattern.selected(
                Set.of(),
                List.of(TablePattern.of("public.*", "include")),
                List.of(),
                () -> List.of(EVENTS, Y2026, Y2026_01, ORDERS));

        assertThat(TablePattern.wholeTables(matched, Set.of(), TREE)).containsExactlyInAnyOrder(EVENTS, ORDERS);
    }

    @Test
    void partitionsSelectedWithoutTheirPartitionedTableAreTablesOfTheirOwn() {
        Set<TableId> matched = TablePattern.selected(
                Set.of(),
                List.of(TablePattern.of("public.events_2026_*", "include")),
                List.of(),
                () -> List.of(EVENTS, Y2026, Y2026_01, ORDERS));

        assertThat(TablePattern.wholeTables(matched, Set.of(), TREE)).containsExactly(Y2026_01);
        assertThat(TablePattern.wholeTables(Set.of(Y2026_01, ORDERS), Set.of(Y2026_01, ORDERS), TREE))
                .containsExactlyInAnyOrder(Y2026_01, ORDERS);
    }

    @Test
    void anIntermediatePartitionedTableTakesInItsOwnPartitionsOnly() {
        assertThat(TablePattern.wholeTables(Set.of(Y2026, Y2026_01), Set.of(), TREE))
                .containsExactly(Y2026);
    }

    @Test
    void namingBothAPartitionedTableAndOneOfItsPartitionsIsAConfigurationErrorThatSaysWhichToName() {
        assertThatThrownBy(() -> TablePattern.wholeTables(Set.of(EVENTS, Y2026_01), Set.of(EVENTS, Y2026_01), TREE))
                .isInstanceOfSatisfying(ZeroEtlException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
                    assertThat(e.getMessage())
                            .contains("public.events_2026_01 is a partition of public.events")
                            .contains("name public.events alone");
                });
    }
}

package io.zeroetl.internal.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The name the host's settings know a table by, through renames within a batch, commits and restarts. */
class FirstNamesTest {
    private static final TableId ORDERS = TableId.parse("public.orders");
    private static final TableId V2 = TableId.parse("public.orders_v2");
    private static final TableId V3 = TableId.parse("sales.orders");
    private static final TableId ITEMS = TableId.parse("public.items");
    private static final TableId TMP = TableId.parse("public.tmp");

    private final FirstNames names = new FirstNames();
    private final List<FirstNames.Step> steps = new CopyOnWriteArrayList<>();

    @Test
    void aTableRenamedInTheBatchGoesByItsFirstNameFromTheRenameOnAndAfterItsCommit() {
        names.reading(steps);
        assertThat(names.of(V2)).isEqualTo(V2);
        steps.add(new FirstNames.Step(ORDERS, V2));
        assertThat(names.of(V2)).isEqualTo(ORDERS);
        assertThat(names.of(ORDERS))
                .as("what the old name staged still goes by it")
                .isEqualTo(ORDERS);

        Optional<Map<TableId, TableId>> after = names.after(steps);
        assertThat(after).contains(Map.of(V2, ORDERS));
        names.commit(after);
        assertThat(names.of(V2)).isEqualTo(ORDERS);

        // renamed again in a later batch: still its first name; back to its first name: no name to record
        List<FirstNames.Step> next = new CopyOnWriteArrayList<>();
        names.reading(next);
        next.add(new FirstNames.Step(V2, V3));
        assertThat(names.of(V3)).isEqualTo(ORDERS);
        assertThat(names.of(V2)).isEqualTo(ORDERS);
        names.commit(names.after(next));
        assertThat(names.committed()).isEqualTo(Map.of(V3, ORDERS));
        assertThat(names.after(List.of(new FirstNames.Step(V3, ORDERS)))).contains(Map.of());
    }

    @Test
    void twoTablesSwappedInOneTransactionEachKeepTheirOwnName() {
        names.reading(steps);
        steps.add(new FirstNames.Step(ORDERS, TMP));
        steps.add(new FirstNames.Step(ITEMS, ORDERS));
        steps.add(new FirstNames.Step(TMP, ITEMS));
        assertThat(names.of(ITEMS)).isEqualTo(ORDERS);
        assertThat(names.of(ORDERS)).isEqualTo(ITEMS);
        assertThat(names.after(steps)).contains(Map.of(ITEMS, ORDERS, ORDERS, ITEMS));
    }

    @Test
    void aNewTableTakingARenamedTablesNameGoesByItsOwnAndADroppedTableIsForgotten() {
        names.restore(Optional.of(Map.of(V2, ORDERS, V3, ITEMS)));
        assertThat(names.recorded()).isTrue();
        names.reading(steps);
        steps.add(new FirstNames.Step(V2, null));
        assertThat(names.of(V2)).as("the dropped table's staged rows").isEqualTo(ORDERS);
        steps.add(new FirstNames.Step(null, V2));
        assertThat(names.of(V2)).as("a new table of that name").isEqualTo(V2);
        steps.add(new FirstNames.Step(V3, null));
        assertThat(names.after(steps)).contains(Map.of());
    }

    @Test
    void aBatchThatChangesNoNameRecordsNothingAndOneRolledBackLeavesTheNamesAsCommitted() {
        names.restore(Optional.of(Map.of(V2, ORDERS)));
        assertThat(names.after(List.of())).isEmpty();
        names.reading(steps);
        steps.add(new FirstNames.Step(V2, V3));
        assertThat(names.of(V3)).isEqualTo(ORDERS);
        // the batch rolled back; its next attempt reads afresh
        names.reading(new CopyOnWriteArrayList<>());
        assertThat(names.of(V3)).isEqualTo(V3);
        assertThat(names.of(V2)).isEqualTo(ORDERS);
        names.restore(Optional.empty());
        assertThat(names.recorded()).as("a target that records no names").isFalse();
    }
}

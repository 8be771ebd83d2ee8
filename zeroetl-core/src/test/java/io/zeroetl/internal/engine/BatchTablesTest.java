package io.zeroetl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.change.ValueType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a batch means for the tables: which events concern replicated ones, and what to do once it commits. */
class BatchTablesTest {
    private static final TableId ORDERS = TableId.of("public", "orders");
    private static final TableId ITEMS = TableId.of("public", "items");
    private static final TableId OTHER = TableId.of("public", "other");
    private static final TableId NEW = TableId.of("public", "orders_2026");

    private final Set<TableId> replicated = Set.of(ORDERS, ITEMS);
    private final BatchTables tables = new BatchTables(
            replicated::contains,
            change -> change.table().equals(NEW) && !change.after().columns().isEmpty(),
            new CopyProgress(new TableRegistry(replicated, TableState.SYNCED, List.of())));

    @Test
    void aTableWaitingForItsFirstCopyAppliesNoRowChangeUntilTheCopyBegins() {
        BatchTables awaiting = new BatchTables(
                replicated::contains,
                ITEMS::equals,
                change -> false,
                (from, to) -> "not followed",
                new CopyProgress(new TableRegistry(replicated, TableState.SYNCED, List.of())));

        assertThat(awaiting.keep(insert(ITEMS)))
                .as("held in the copy's snapshot")
                .isNull();
        assertThat(awaiting.keep(insert(ORDERS))).isNotNull();
        assertThat(awaiting.keep(new TruncateEvent(List.of(ORDERS, ITEMS), false, false)))
                .isEqualTo(new TruncateEvent(List.of(ORDERS), false, false));
        SnapshotEvent started = new SnapshotEvent(ITEMS, SnapshotEvent.Phase.STARTED, 0, 10);
        assertThat(awaiting.keep(started)).isEqualTo(started);
        assertThat(awaiting.keep(insert(ITEMS)))
                .as("the copy's rows, and what follows it")
                .isNotNull();
    }

    @Test
    void eventsOfTablesNotReplicatedAreDroppedAndATruncateIsNarrowedToReplicatedOnes() {
        assertThat(tables.keep(insert(OTHER))).isNull();
        assertThat(tables.keep(new TruncateEvent(List.of(ORDERS, OTHER), false, false)))
                .isEqualTo(new TruncateEvent(List.of(ORDERS), false, false));
        assertThat(tables.keep(new TruncateEvent(List.of(OTHER), false, false))).isNull();
    }

    @Test
    void aDroppedTablesLaterEventsAreDroppedAndItIsReportedDropped() {
        SchemaChangeEvent drop = change(ORDERS, List.of(), null);

        assertThat(tables.keep(drop)).isSameAs(drop);
        assertThat(tables.keep(insert(ORDERS))).isNull();
        assertThat(tables.dropped()).containsExactly(ORDERS);
    }

    @Test
    void aCreatedTableThatIsSelectedJoinsAndOneRenamedToANameNotSelectedEndsAsIfDropped() {
        assertThat(tables.keep(change(NEW, columns(), null))).isNull();
        assertThat(tables.keep(change(OTHER, columns(), ITEMS)))
                .isInstanceOfSatisfying(SchemaChangeEvent.class, drop -> {
                    assertThat(drop.table()).isEqualTo(ITEMS);
                    assertThat(drop.kind()).isEqualTo(SchemaChangeEvent.Kind.DROPPED);
                    assertThat(drop.after().columns()).isEmpty();
                });
        assertThat(tables.keep(insert(ITEMS))).isNull();

        assertThat(tables.created()).containsExactly(NEW);
        assertThat(tables.dropped()).containsExactly(ITEMS);
        assertThat(tables.renamedAway()).isEqualTo(Map.of(ITEMS, OTHER));
    }

    @Test
    void aRenameToASelectedNameIsFollowedAndTheTablesChangesGoOnUnderItsNewName() {
        BatchTables following = renames(true);
        SchemaChangeEvent rename = change(NEW, columns(), ORDERS);

        assertThat(following.keep(rename)).as("the target table is renamed").isSameAs(rename);
        assertThat(following.keep(insert(NEW))).isNotNull();
        assertThat(following.keep(new TruncateEvent(List.of(NEW), false, false)))
                .isNotNull();
        SchemaChangeEvent back = change(ORDERS, columns(), NEW);
        assertThat(following.keep(back)).as("and back again in the same batch").isSameAs(back);
        assertThat(following.keep(insert(NEW))).isNull();
        assertThat(following.keep(insert(ORDERS))).isNotNull();

        assertThat(following.followed()).containsExactly(Map.entry(ORDERS, NEW), Map.entry(NEW, ORDERS));
        assertThat(following.created()).isEmpty();
        assertThat(following.renamedAway()).isEmpty();
        assertThat(following.dropped()).isEmpty();
    }

    @Test
    void aCopyAskedForBeforeARenameInTheSameBatchIsAskedForUnderTheNewName() {
        BatchTables following = renames(true);
        SchemaChangeEvent retyped = new SchemaChangeEvent(
                ORDERS,
                "ALTER TABLE",
                "ALTER TABLE orders ALTER COLUMN v TYPE int USING length(v)",
                new TableSchema(ORDERS, columns(), TableSchema.ReplicaIdentity.DEFAULT),
                Map.of(),
                null,
                "its values were rewritten",
                SchemaChangeEvent.Kind.ALTERED);
        following.account(following.keep(retyped));
        following.account(following.keep(insert(ORDERS)));
        following.keep(change(NEW, columns(), ORDERS));

        assertThat(following.refilled()).containsOnlyKeys(NEW);
        assertThat(following.counts()).containsOnlyKeys(NEW);
    }

    @Test
    void aRenameOfATableNotReplicatedUnderItsOldNameRenamesNothingInTheTarget() {
        // renamed while the pipeline was down: the new name is selected (and copied afresh), the old one is not
        SchemaChangeEvent kept = (SchemaChangeEvent) tables.keep(change(ORDERS, columns(), OTHER));

        assertThat(kept.table()).isEqualTo(ORDERS);
        assertThat(kept.renamedFrom()).isNull();
        assertThat(tables.renamedAway()).isEmpty();
    }

    @Test
    void aRenameThatCannotBeFollowedMakesTheNewNameATableOfItsOwn() {
        BatchTables notFollowing = renames(false);

        assertThat(notFollowing.keep(change(NEW, columns(), ORDERS))).isNull();

        assertThat(notFollowing.created()).containsExactly(NEW);
        assertThat(notFollowing.renamedAway()).isEqualTo(Map.of(ORDERS, NEW));
        assertThat(notFollowing.dropped()).isEmpty();
    }

    @Test
    void rowChangesAreCountedPerTableAndWhatTheSourceSaysMustBeCopiedAgainIsKept() {
        Row row = Row.of(List.of(1));
        tables.account(insert(ORDERS));
        tables.account(new UpdateEvent(ORDERS, null, false, row, 10));
        tables.account(new DeleteEvent(ORDERS, row, true, 10));
        tables.account(insert(ITEMS));
        tables.account(new SchemaChangeEvent(
                ITEMS,
                "ALTER TABLE",
                "",
                new TableSchema(ITEMS, columns(), TableSchema.ReplicaIdentity.DEFAULT),
                Map.of(),
                null,
                "rows rewritten"));
        tables.account(new CommitEvent(Lsn.parse("0/10"), Lsn.parse("0/11"), Instant.EPOCH));

        assertThat(tables.counts()).isEqualTo(Map.of(ORDERS, new RowCounts(1, 1, 1), ITEMS, new RowCounts(1, 0, 0)));
        assertThat(tables.refilled()).isEqualTo(Map.of(ITEMS, "rows rewritten"));
        assertThat(tables.committedSnapshot()).isFalse();
    }

    @Test
    void aCopyThatFinishedBeforeASchemaChangeAskingForAnotherDoesNotMakeTheTableWhole() {
        finishCopy(ITEMS, "0/10");
        tables.account(recopy(ITEMS));
        tables.account(new CommitEvent(Lsn.parse("0/20"), Lsn.parse("0/21"), Instant.EPOCH));

        assertThat(tables.copied()).as("the earlier copy lacks the change").doesNotContain(ITEMS);
        assertThat(tables.refilled()).containsKey(ITEMS);
    }

    @Test
    void aCopyServedAfterTheSchemaChangeThatAskedForItMakesTheTableWhole() {
        tables.account(recopy(ITEMS));
        tables.account(new CommitEvent(Lsn.parse("0/10"), Lsn.parse("0/11"), Instant.EPOCH));
        finishCopy(ITEMS, "0/20");

        assertThat(tables.copied()).contains(ITEMS);
        assertThat(tables.refilled()).as("no other copy is needed").doesNotContainKey(ITEMS);
    }

    private void finishCopy(TableId table, String commit) {
        tables.account(new SnapshotEvent(table, SnapshotEvent.Phase.STARTED, 0, 1));
        tables.account(insert(table));
        tables.account(new SnapshotEvent(table, SnapshotEvent.Phase.FINISHED, 1, 1));
        tables.account(new CommitEvent(Lsn.parse(commit), Lsn.parse(commit), Instant.EPOCH));
    }

    private static SchemaChangeEvent recopy(TableId table) {
        return new SchemaChangeEvent(
                table,
                "ALTER TABLE",
                "",
                new TableSchema(table, columns(), TableSchema.ReplicaIdentity.DEFAULT),
                Map.of(),
                null,
                "column added with a default");
    }

    private static InsertEvent insert(TableId table) {
        return new InsertEvent(table, Row.of(List.of(1)), 10);
    }

    private static List<Column> columns() {
        return List.of(new Column("id", ColumnType.of(ValueType.INT32), true, false));
    }

    /** Tables where {@link #NEW} joins, following renames or not. */
    private BatchTables renames(boolean follow) {
        return new BatchTables(
                replicated::contains,
                t -> false,
                change -> change.table().equals(NEW),
                (from, to) -> follow ? null : "not followed",
                new CopyProgress(new TableRegistry(replicated, TableState.SYNCED, List.of())));
    }

    private static SchemaChangeEvent change(TableId table, List<Column> columns, TableId renamedFrom) {
        return new SchemaChangeEvent(
                table,
                columns.isEmpty() ? "DROP TABLE" : "CREATE TABLE",
                "",
                new TableSchema(table, columns, TableSchema.ReplicaIdentity.DEFAULT),
                Map.of(),
                renamedFrom,
                null);
    }
}

package io.zeroetl.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.spi.ChangeApplier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChangeApplier} must do with a table's shape and with the columns a pipeline's rules add, as
 * tests: a renamed column keeps its values (in the same applier and after a restart), a dropped column comes back
 * empty, a copy replaces the table whole or not at all, a table without a key keeps equal rows apart, and the
 * column roles of soft deletes and history mode mean what {@link Column.Role} says. A target runs these through
 * {@link ChangeApplierContract}.
 */
public abstract class SchemaAndRolesContract extends ContractSupport {
    /** Only {@link ChangeApplierContract} extends this one. */
    SchemaAndRolesContract() {}

    @Test
    void aRenamedColumnKeepsItsValuesInTheSameApplierAndAfterARestart() throws Exception {
        TableId t = table("renamed");
        TableSchema remark = layout(t, new Column("remark", STRING, false, true));
        TableSchema comment = layout(t, new Column("comment", STRING, false, true));
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10).transaction(relation(t), insert(t, 1, "one")));
            a.apply(new ScriptedBatch(20)
                    .transaction(
                            renamed(t, remark, "note", "remark"),
                            new RelationEvent(remark),
                            new InsertEvent(t, Row.of(2, "two"), 50)));
        }
        // a restart: the new applier meets the rename before any description of the table
        try (ChangeApplier b = restarted(t)) {
            b.apply(new ScriptedBatch(30)
                    .transaction(
                            renamed(t, comment, "remark", "comment"),
                            new RelationEvent(comment),
                            new InsertEvent(t, Row.of(3, "three"), 50)));
        }
        assertThat(sorted(t, List.of("id", "comment")))
                .as("values kept under the new name, never dropped and added empty")
                .containsExactly(List.of("1", "one"), List.of("2", "two"), List.of("3", "three"));
    }

    @Test
    void aColumnDroppedAndAddedAgainComesBackEmpty() throws Exception {
        TableId t = table("readded");
        TableSchema wide = layout(t, new Column("note", STRING, false, true), new Column("extra", STRING, false, true));
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10)
                    .transaction(new RelationEvent(wide), new InsertEvent(t, Row.of(1, "one", "old"), 50)));
            a.apply(new ScriptedBatch(20).transaction(relation(t), insert(t, 2, "two")));
            a.apply(new ScriptedBatch(30)
                    .transaction(new RelationEvent(wide), new InsertEvent(t, Row.of(3, "three", "new"), 50)));
        }
        assertThat(sorted(t, List.of("id", "note", "extra")))
                .as("the dropped column's old values are gone, as they are at the source")
                .containsExactly(
                        Arrays.asList("1", "one", null), Arrays.asList("2", "two", null), List.of("3", "three", "new"));
    }

    @Test
    void aCopyReplacesTheTableWholeOrNotAtAll() throws Exception {
        TableId t = table("copied");
        TableSchema relabelled = layout(t, new Column("label", STRING, false, true));
        ScriptedBatch copy = new ScriptedBatch(20)
                .transaction(
                        new SnapshotEvent(t, SnapshotEvent.Phase.STARTED, 0, 2),
                        new RelationEvent(relabelled),
                        new TruncateEvent(List.of(t), false, false),
                        new InsertEvent(t, Row.of(5, "five"), 50),
                        new InsertEvent(t, Row.of(6, "six"), 50),
                        new SnapshotEvent(t, SnapshotEvent.Phase.FINISHED, 2, 2))
                .breakingAfter(6);
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10).transaction(relation(t), insert(t, 1, "one"), insert(t, 2, "two")));
            assertThatThrownBy(() -> a.apply(copy)).isInstanceOf(RuntimeException.class);
            assertThat(rows(t))
                    .as("a copy cut off changes nothing")
                    .containsExactly(List.of("1", "one"), List.of("2", "two"));
        }
        try (ChangeApplier b = restarted(t)) {
            b.apply(copy.again());
        }
        try (ChangeApplier c = restarted(t)) {
            assertThat(c.copiedTables().orElse(Set.of(t)))
                    .as("a target that records copies records this one")
                    .contains(t);
        }
        assertThat(sorted(t, List.of("id", "label")))
                .as("the copy's rows only, in the copy's layout")
                .containsExactly(List.of("5", "five"), List.of("6", "six"));
    }

    @Test
    void aTableWithoutAKeyKeepsEqualRowsApart() throws Exception {
        TableId t = table("keyless");
        TableSchema keyless = new TableSchema(
                t,
                List.of(new Column("id", INT32, false, true), new Column("note", STRING, false, true)),
                TableSchema.ReplicaIdentity.FULL);
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10)
                    .transaction(
                            new RelationEvent(keyless),
                            insert(t, 1, "same"),
                            insert(t, 1, "same"),
                            insert(t, 1, "same"),
                            insert(t, 2, "other")));
            a.apply(new ScriptedBatch(20)
                    .transaction(
                            new RelationEvent(keyless),
                            new DeleteEvent(t, Row.of(1, "same"), false, 50),
                            new UpdateEvent(t, Row.of(2, "other"), false, Row.of(2, "changed"), 50),
                            insert(t, 3, "new"),
                            insert(t, 3, "new"))
                    .transaction(new DeleteEvent(t, Row.of(3, "new"), false, 50)));
        }
        assertThat(rows(t))
                .as("a delete takes one of equal rows, an update changes one")
                .containsExactly(
                        List.of("1", "same"), List.of("1", "same"), List.of("2", "changed"), List.of("3", "new"));
    }

    @Test
    void softDeletesMarkTheRowAndKeepItsValues() throws Exception {
        TableId t = table("soft");
        TableSchema soft = layout(
                t,
                new Column("note", STRING, false, true),
                new Column("gone", BOOLEAN, false, true, Column.Role.SOFT_DELETED),
                new Column("gone_at", INSTANT, false, true, Column.Role.SOFT_DELETED_AT));
        List<String> columns = List.of("id", "note", "gone", "gone_at");
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10)
                    .transaction(
                            new RelationEvent(soft),
                            new InsertEvent(t, Row.of(1, "one", false, null), 50),
                            new InsertEvent(t, Row.of(2, "two", false, null), 50)));
            // a delete reaches the target as an update of the key and the marks, every other value unchanged
            a.apply(new ScriptedBatch(20)
                    .transaction(
                            new RelationEvent(soft),
                            new UpdateEvent(t, null, false, Row.of(1, Row.UNCHANGED, true, at(20)), 50)));
        }
        List<List<String>> marked = sorted(t, columns);
        assertThat(marked).extracting(r -> r.get(1)).containsExactly("one", "two");
        assertThat(marked).extracting(r -> flag(r.get(2))).containsExactly(true, false);
        assertThat(marked).extracting(r -> r.get(3) != null).containsExactly(true, false);
        try (ChangeApplier b = restarted(t)) {
            b.apply(new ScriptedBatch(30)
                    .transaction(new RelationEvent(soft), new TruncateEvent(List.of(t), false, false)));
        }
        List<List<String>> truncated = sorted(t, columns);
        assertThat(truncated)
                .as("a truncate marks every row deleted and keeps them")
                .extracting(r -> r.get(1) + " " + flag(r.get(2)) + " " + (r.get(3) != null))
                .containsExactly("one true true", "two true true");
        assertThat(truncated.get(0).get(3))
                .as("a row deleted before keeps its time")
                .isEqualTo(marked.get(0).get(3));
    }

    @Test
    void historyKeepsEveryVersionEachClosedWhenTheNextBegins() throws Exception {
        TableId t = table("history");
        TableSchema history = layout(
                t,
                new Column("note", STRING, false, true),
                new Column("is_active", BOOLEAN, false, true, Column.Role.HISTORY_ACTIVE),
                new Column("valid_from", INSTANT, false, true, Column.Role.HISTORY_START),
                new Column("valid_to", INSTANT, false, true, Column.Role.HISTORY_END));
        List<String> columns = List.of("id", "note", "is_active", "valid_from", "valid_to");
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10)
                    .transaction(
                            new RelationEvent(history),
                            new InsertEvent(t, Row.of(1, "a", true, at(10), null), 50),
                            new InsertEvent(t, Row.of(2, "x", true, at(10), null), 50)));
            a.apply(new ScriptedBatch(20)
                    .transaction(
                            new RelationEvent(history),
                            new UpdateEvent(t, null, false, Row.of(1, "b", true, at(20), null), 50))
                    .transaction(new UpdateEvent(t, null, false, Row.of(1, "c", true, at(30), null), 50)));
            // a delete closes the active version at its own time and adds none
            a.apply(new ScriptedBatch(40)
                    .transaction(
                            new RelationEvent(history),
                            new DeleteEvent(t, Row.of(1, null, false, at(40), null), true, 50)));
        }
        List<List<String>> versions = sorted(t, columns);
        assertThat(versions)
                .extracting(r -> r.get(0) + " " + r.get(1) + " " + flag(r.get(2)) + " " + (r.get(4) == null))
                .containsExactly("1 a false false", "1 b false false", "1 c false false", "2 x true true");
        assertThat(versions.get(0).get(4))
                .as("a closed when b began")
                .isEqualTo(versions.get(1).get(3));
        assertThat(versions.get(1).get(4))
                .as("b closed when c began")
                .isEqualTo(versions.get(2).get(3));
        try (ChangeApplier b = restarted(t)) {
            b.apply(new ScriptedBatch(50)
                    .transaction(new RelationEvent(history), new TruncateEvent(List.of(t), false, false)));
        }
        assertThat(sorted(t, columns))
                .as("a truncate closes every active version and keeps the history")
                .extracting(r -> r.get(0) + " " + r.get(1) + " " + flag(r.get(2)) + " " + (r.get(4) == null))
                .containsExactly("1 a false false", "1 b false false", "1 c false false", "2 x false false");
    }

    private static SchemaChangeEvent renamed(TableId table, TableSchema after, String from, String to) {
        return new SchemaChangeEvent(
                table,
                "ALTER TABLE",
                "ALTER TABLE " + table.quoted() + " RENAME COLUMN " + from + " TO " + to,
                after,
                Map.of(from, to));
    }
}

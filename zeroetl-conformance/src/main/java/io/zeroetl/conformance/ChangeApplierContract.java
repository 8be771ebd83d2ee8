package io.zeroetl.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.Column;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.ChangeApplier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChangeApplier} must do, as tests. A target's test class extends this one, says how to make
 * a new applier of the target ({@link #applier()}) and how to read a table back ({@link #rows}), and runs: the
 * engine relies on each of these, so an applier that passes them works under the engine — exactly once across
 * crashes included.
 *
 * <p>Each test uses tables and a pipeline id of its own, so the target may be shared by all of them and keep
 * what earlier runs left. The tests of schema changes, copies, keyless tables and column roles are in
 * {@link SchemaAndRolesContract}, which this extends.
 */
public abstract class ChangeApplierContract extends SchemaAndRolesContract {
    /** For a target's test class to extend. */
    protected ChangeApplierContract() {}

    /**
     * A value of a text column the target refuses to store (the table fails, the others go on); empty when it
     * stores every value, which skips that test.
     *
     * @return the value, or empty
     */
    protected Optional<Object> refusedText() {
        return Optional.empty();
    }

    /**
     * Whether an applier started later fences one started earlier for the same pipeline (refuses its commits
     * with {@link ErrorCode#FENCED}), which several instances of a pipeline need; false skips that test.
     *
     * @return whether the target fences
     */
    protected boolean fences() {
        return false;
    }

    @Test
    void aBatchTakesEffectWithItsPositionAndANewApplierResumesThere() throws Exception {
        TableId t = table("resume");
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(100).transaction(relation(t), insert(t, 1, "one"), insert(t, 2, "two")));
        }
        try (ChangeApplier b = applier()) {
            assertThat(b.start(context(t)))
                    .as("the end of the last committed batch")
                    .contains(Lsn.of(101));
        }
        assertThat(rows(t)).containsExactly(List.of("1", "one"), List.of("2", "two"));
    }

    @Test
    void aBatchCutOffMidwayLeavesNothingAndIsAppliedWholeOnceAfterARestart() throws Exception {
        TableId t = table("atomic");
        ScriptedBatch cut = new ScriptedBatch(100)
                .transaction(relation(t), insert(t, 2, "two"))
                .transaction(insert(t, 3, "three"))
                .breakingAfter(6);
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10).transaction(relation(t), insert(t, 1, "one")));
            assertThatThrownBy(() -> a.apply(cut))
                    .as("the stream's failure reaches the engine")
                    .isInstanceOf(RuntimeException.class);
            assertThat(rows(t)).as("nothing of the cut batch").containsExactly(List.of("1", "one"));
        }
        // a crash: a new applier asks where the target stands, and the engine sends the batch again, whole
        try (ChangeApplier b = applier()) {
            assertThat(b.start(context(t))).contains(Lsn.of(11));
            b.apply(cut.again());
            assertThat(b.start(context(t))).contains(Lsn.of(111));
        }
        assertThat(rows(t)).containsExactly(List.of("1", "one"), List.of("2", "two"), List.of("3", "three"));
    }

    @Test
    void theNamesRenamedTablesGoByComeBackFromTheLastCommittedBatchThatGaveThem() throws Exception {
        TableId t = table("named");
        Map<TableId, TableId> names = Map.of(t, table("first"));
        try (ChangeApplier a = started(t)) {
            Assumptions.assumeTrue(a.firstNames().isPresent(), "the target records no names");
            a.apply(new ScriptedBatch(100)
                    .transaction(relation(t), insert(t, 1, "one"))
                    .withFirstNames(names));
            ScriptedBatch cut = new ScriptedBatch(200)
                    .transaction(insert(t, 2, "two"))
                    .withFirstNames(Map.of())
                    .breakingAfter(2);
            assertThatThrownBy(() -> a.apply(cut)).isInstanceOf(RuntimeException.class);
            a.apply(new ScriptedBatch(300).transaction(insert(t, 3, "three")));
        }
        try (ChangeApplier b = applier()) {
            b.start(context(t));
            assertThat(b.firstNames())
                    .as("as the last batch that gave names left them; a batch cut off records none")
                    .contains(names);
        }
    }

    @Test
    void updatesAndDeletesFindTheirRowsByKey() throws Exception {
        TableId t = table("keyed");
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10)
                    .transaction(relation(t), insert(t, 1, "one"), insert(t, 2, "two"), insert(t, 3, "three")));
            a.apply(new ScriptedBatch(20)
                    .transaction(
                            relation(t),
                            new UpdateEvent(t, null, false, Row.of(2, "two, updated"), 50),
                            new DeleteEvent(t, Row.of(3, null), true, 50)));
        }
        assertThat(rows(t)).containsExactly(List.of("1", "one"), List.of("2", "two, updated"));
    }

    @Test
    void anUnchangedValueKeepsWhatTheTargetHolds() throws Exception {
        TableId t = table("toast");
        TableSchema schema = new TableSchema(
                t,
                List.of(
                        new Column("id", INT32, true, false),
                        new Column("note", STRING, false, true),
                        new Column("body", STRING, false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10)
                    .transaction(new RelationEvent(schema), new InsertEvent(t, Row.of(1, "a", "large value 1"), 50)));
            a.apply(new ScriptedBatch(20)
                    .transaction(
                            new RelationEvent(schema),
                            new UpdateEvent(t, null, false, Row.of(1, "b", Row.UNCHANGED), 50),
                            new InsertEvent(t, Row.of(2, "x", "large value 2"), 50))
                    .transaction(new UpdateEvent(t, null, false, Row.of(2, "y", Row.UNCHANGED), 50)));
        }
        assertThat(sorted(t, List.of("id", "note", "body")))
                .as("held in the target, and staged in the same batch")
                .containsExactly(List.of("1", "b", "large value 1"), List.of("2", "y", "large value 2"));
    }

    @Test
    void anUpdateThatChangesTheKeyMovesTheRow() throws Exception {
        TableId t = table("moved");
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10).transaction(relation(t), insert(t, 1, "one"), insert(t, 2, "two")));
            a.apply(new ScriptedBatch(20)
                    .transaction(relation(t), new UpdateEvent(t, Row.of(1, null), true, Row.of(10, "moved"), 50)));
        }
        assertThat(rows(t)).containsExactly(List.of("2", "two"), List.of("10", "moved"));
    }

    @Test
    void truncateEmptiesTheTableAtItsPlaceInTheBatch() throws Exception {
        TableId t = table("truncated");
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10).transaction(relation(t), insert(t, 1, "one"), insert(t, 2, "two")));
            a.apply(new ScriptedBatch(20)
                    .transaction(relation(t), insert(t, 3, "three"))
                    .transaction(new TruncateEvent(List.of(t), false, false))
                    .transaction(relation(t), insert(t, 4, "four")));
        }
        assertThat(rows(t)).containsExactly(List.of("4", "four"));
    }

    @Test
    void aColumnAddedAtTheSourceIsFollowed() throws Exception {
        TableId t = table("widened");
        TableSchema wider = new TableSchema(
                t,
                List.of(
                        new Column("id", INT32, true, false),
                        new Column("note", STRING, false, true),
                        new Column("quantity", INT32, false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        try (ChangeApplier a = started(t)) {
            a.apply(new ScriptedBatch(10).transaction(relation(t), insert(t, 1, "one")));
            a.apply(new ScriptedBatch(20)
                    .transaction(new RelationEvent(wider), new InsertEvent(t, Row.of(2, "two", 7), 50)));
        }
        assertThat(sorted(t, List.of("id", "note", "quantity")))
                .containsExactly(Arrays.asList("1", "one", null), List.of("2", "two", "7"));
    }

    @Test
    void aValueTheTargetRefusesFailsItsTableAloneAndTheOthersGoOn() throws Exception {
        Optional<Object> refused = refusedText();
        Assumptions.assumeTrue(refused.isPresent(), "the target stores every value");
        TableId good = table("good");
        TableId bad = table("bad");
        ApplierContext context = new ApplierContext(pipeline(good), Set.of(good, bad));
        try (ChangeApplier a = applier()) {
            assertThat(a.start(context)).isEmpty();
            ScriptedBatch both = new ScriptedBatch(10)
                    .transaction(relation(good), insert(good, 1, "one"))
                    .transaction(relation(bad), new InsertEvent(bad, Row.of(1, refused.get()), 50));
            assertThatThrownBy(() -> a.apply(both))
                    .isInstanceOfSatisfying(
                            TableFailedException.class,
                            failed -> assertThat(failed.reasons()).containsOnlyKeys(bad));
            // the engine applies the batch again without the failed table's changes (its second transaction empty)
            a.apply(new ScriptedBatch(10)
                    .transaction(relation(good), insert(good, 1, "one"))
                    .transaction());
            assertThat(a.failedTables()).containsOnlyKeys(bad);
        }
        assertThat(rows(good)).containsExactly(List.of("1", "one"));
    }

    @Test
    void anApplierStartedLaterFencesOneStartedEarlier() throws Exception {
        Assumptions.assumeTrue(fences(), "the target does not fence");
        TableId t = table("fenced");
        try (ChangeApplier first = started(t);
                ChangeApplier second = started(t)) {
            ScriptedBatch batch = new ScriptedBatch(10).transaction(relation(t), insert(t, 1, "one"));
            assertThatThrownBy(() -> first.apply(batch))
                    .isInstanceOfSatisfying(
                            ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FENCED));
            assertThat(rows(t)).as("nothing of the fenced batch").isEmpty();
            second.apply(batch.again());
        }
        assertThat(rows(t)).containsExactly(List.of("1", "one"));
    }
}

package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.ValueType;
import io.zeroetl.conformance.ScriptedBatch;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the Redshift applier records of a table's copy in zeroetl_table_state, and gives back at the next start. */
class CopyStateIT {
    private static final TableId ORDERS = TableId.of("public", "orders");
    static RedshiftEmulator redshift;

    @BeforeAll
    static void start() {
        redshift = RedshiftEmulator.start();
    }

    @AfterAll
    static void stop() {
        assertThat(redshift.rejectedStatements())
                .as("statements the emulator rejected")
                .isEmpty();
        redshift.close();
    }

    private static RedshiftTarget target(String schema) {
        return RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .schema(schema)
                .build();
    }

    /**
     * A copy that finished earlier in a batch than a schema change asking for another copy: the batch commits the
     * table as still awaiting its copy (COPY_PENDING), so a crash before that copy commits copies it again at the
     * restart; it was recorded SYNCED, and a kill in that window left a keyless table's old rows without the new
     * column's values for good (the long generator, seed 2568420409604766174 round 81).
     */
    @Test
    void aCopyFinishedBeforeASchemaChangeAskingForAnotherLeavesTheTablePendingItsCopy() throws Exception {
        TableSchema two = new TableSchema(
                ORDERS,
                List.of(
                        new Column("id", ColumnType.of(ValueType.INT32), true, false),
                        new Column("note", ColumnType.of(ValueType.STRING), false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        ScriptedBatch batch = new ScriptedBatch(10)
                .transaction(
                        new SnapshotEvent(ORDERS, SnapshotEvent.Phase.STARTED, 0, 1),
                        new RelationEvent(two),
                        new InsertEvent(ORDERS, Row.of(1, "one"), 50),
                        new SnapshotEvent(ORDERS, SnapshotEvent.Phase.FINISHED, 1, 1))
                .transaction(new SchemaChangeEvent(
                        ORDERS, "ALTER TABLE", "", two, Map.of(), null, "column added with a default"));
        try (ChangeApplier applier = target("pending").applier()) {
            applier.start(new ApplierContext("pending", Set.of(ORDERS)));
            applier.apply(batch);
            assertThat(applier.copiedTables())
                    .as("tables with a committed copy")
                    .hasValueSatisfying(copied -> assertThat(copied).doesNotContain(ORDERS));
        }
        try (ChangeApplier applier = target("pending").applier()) {
            applier.start(new ApplierContext("pending", Set.of(ORDERS)));
            applier.apply(new ScriptedBatch(100)
                    .transaction(
                            new SnapshotEvent(ORDERS, SnapshotEvent.Phase.STARTED, 0, 1),
                            new RelationEvent(two),
                            new InsertEvent(ORDERS, Row.of(1, "one"), 50),
                            new SnapshotEvent(ORDERS, SnapshotEvent.Phase.FINISHED, 1, 1)));
            assertThat(applier.copiedTables())
                    .as("the copy asked for, committed")
                    .hasValueSatisfying(copied -> assertThat(copied).contains(ORDERS));
        }
    }

    /**
     * A copy committed in parts: each batch's part goes straight into the table that already holds the earlier
     * parts, the target keeps the last part's progress (COPYING) and gives it back at the next start, and the
     * copy's end makes the table SYNCED with no progress left.
     */
    @Test
    void aCopyInPartsKeepsItsLastCommittedProgressUntilItsEnd() throws Exception {
        TableSchema two = new TableSchema(
                ORDERS,
                List.of(
                        new Column("id", ColumnType.of(ValueType.INT32), true, false),
                        new Column("note", ColumnType.of(ValueType.STRING), false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        try (ChangeApplier applier = target("parts").applier()) {
            applier.start(new ApplierContext("parts", Set.of(ORDERS)));
            applier.apply(new ScriptedBatch(10)
                    .transaction(
                            new SnapshotEvent(ORDERS, SnapshotEvent.Phase.STARTED, 0, 4, "part 0"),
                            new RelationEvent(two),
                            new TruncateEvent(List.of(ORDERS), false, false))
                    .transaction(
                            new SnapshotEvent(ORDERS, SnapshotEvent.Phase.CHUNK, 0, 4, "part 0"),
                            new InsertEvent(ORDERS, Row.of(1, "one"), 50),
                            new InsertEvent(ORDERS, Row.of(2, "two"), 50),
                            new SnapshotEvent(ORDERS, SnapshotEvent.Phase.CHUNK, 2, 4, "part 1")));
            assertThat(applier.copyProgress()).containsExactly(Map.entry(ORDERS, "part 1"));
        }
        try (ChangeApplier applier = target("parts").applier()) {
            applier.start(new ApplierContext("parts", Set.of(ORDERS)));
            assertThat(applier.copyProgress())
                    .as("given back at the next start")
                    .containsEntry(ORDERS, "part 1");
            assertThat(applier.copiedTables())
                    .hasValueSatisfying(copied -> assertThat(copied).doesNotContain(ORDERS));
            // resumed: the rows changed since are deleted and those still there read again, then the rest
            applier.apply(new ScriptedBatch(20)
                    .transaction(
                            new SnapshotEvent(ORDERS, SnapshotEvent.Phase.CHUNK, 2, 4, "part 1"),
                            new RelationEvent(two),
                            new DeleteEvent(ORDERS, Row.of(1, null), true, 50),
                            new DeleteEvent(ORDERS, Row.of(2, null), true, 50),
                            new SnapshotEvent(ORDERS, SnapshotEvent.Phase.CHUNK, 2, 4, "part 1"),
                            new InsertEvent(ORDERS, Row.of(2, "two again"), 50))
                    .transaction(
                            new SnapshotEvent(ORDERS, SnapshotEvent.Phase.CHUNK, 2, 4, "part 1"),
                            new InsertEvent(ORDERS, Row.of(3, "three"), 50),
                            new InsertEvent(ORDERS, Row.of(4, "four"), 50),
                            new SnapshotEvent(ORDERS, SnapshotEvent.Phase.FINISHED, 4, 4)));
            assertThat(applier.copyProgress()).isEmpty();
            assertThat(applier.copiedTables())
                    .hasValueSatisfying(copied -> assertThat(copied).contains(ORDERS));
        }
        assertThat(rows("parts")).containsExactly("2|two again", "3|three", "4|four");
        assertThat(query("SELECT state FROM zeroetl.zeroetl_table_state WHERE pipeline_id = 'parts'"))
                .containsExactly("SYNCED");
    }

    private static List<String> rows(String schema) throws SQLException {
        return query("SELECT id || '|' || coalesce(note, 'null') FROM " + schema + ".orders ORDER BY id");
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}

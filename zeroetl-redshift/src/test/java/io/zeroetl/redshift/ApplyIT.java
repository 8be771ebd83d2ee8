package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.change.ValueType;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.FakeReader;
import io.zeroetl.fakes.FakeSource;
import io.zeroetl.fakes.Harness;
import io.zeroetl.testing.RecordedStatement;
import io.zeroetl.testing.RedshiftEmulator;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redshift applier through the real engine and the emulator, fed by a scripted source log. */
class ApplyIT {
    private static final TableId ORDERS = TableId.of("public", "orders");
    static RedshiftEmulator redshift;

    private final FakeLog log = new FakeLog();
    private final AtomicReference<io.zeroetl.Lsn> committed = new AtomicReference<>(io.zeroetl.Lsn.NONE);

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

    private RedshiftTarget target(String schema) {
        return RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .schema(schema)
                .build();
    }

    private Pipeline start(String schema, String id) {
        return start(schema, id, false);
    }

    /**
     * A pipeline over the fake log; {@code snapshotFirst}: its first start takes the log's first transaction
     * as the initial copy (as a real source's first start does), so the target records the copy and a
     * restart does not copy the table again (which the fake source cannot).
     */
    private Pipeline start(String schema, String id, boolean snapshotFirst) {
        FakeReader reader = new FakeReader(log, () -> io.zeroetl.Lsn.of(Long.MAX_VALUE));
        Source source = new FakeSource(snapshotFirst ? reader.snapshotFirst() : reader);
        return ZeroEtl.from(source)
                .to(target(schema))
                .tables(List.of(ORDERS))
                .pipelineId(id)
                .flushInterval(Duration.ofMillis(50))
                .start();
    }

    @Test
    void insertsUpdatesDeletesAndTruncatesLandInTheTarget() throws Exception {
        log.insert(ORDERS, 1, 2, 3);
        log.transaction(x -> List.of(
                new UpdateEvent(ORDERS, null, false, Row.of(2, "two"), 50),
                new DeleteEvent(ORDERS, Row.of(3, null), true, 50)));
        try (Pipeline pipeline = start("s_dml", "dml")) {
            Harness.awaitCaughtUp(pipeline);
            assertThat(rows("s_dml")).containsExactly("1|row-1", "2|two");

            log.transaction(x -> List.of(
                    new TruncateEvent(List.of(ORDERS), false, false), new InsertEvent(ORDERS, Row.of(9, "after"), 50)));
            Harness.awaitCaughtUp(pipeline);
            assertThat(rows("s_dml")).containsExactly("9|after");
        }
    }

    @Test
    void unchangedToastValuesKeepTheTargetValueAndTheEarlierVersionInTheBatch() throws Exception {
        String big = "x".repeat(60_000);
        log.insert(ORDERS);
        log.transaction(x -> List.of(new InsertEvent(ORDERS, Row.of(1, big), 50)));
        try (Pipeline pipeline = start("s_toast", "toast")) {
            Harness.awaitCaughtUp(pipeline);
            log.transaction(x -> List.of(new UpdateEvent(ORDERS, null, false, Row.of(1, Row.UNCHANGED), 50)));
            log.transaction(x -> List.of(
                    new InsertEvent(ORDERS, Row.of(2, big + "y"), 50),
                    new UpdateEvent(ORDERS, null, false, Row.of(2, Row.UNCHANGED), 50)));
            log.transaction(x -> List.of(new InsertEvent(ORDERS, Row.of(3, big + "zz"), 50)));
            Harness.awaitCaughtUp(pipeline);
            log.transaction(x -> List.of(
                    new UpdateEvent(ORDERS, null, false, Row.of(3, Row.UNCHANGED), 50),
                    new UpdateEvent(ORDERS, null, false, Row.of(3, Row.UNCHANGED), 50),
                    new UpdateEvent(ORDERS, null, false, Row.of(3, Row.UNCHANGED), 50)));
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(query("SELECT id || ':' || length(note) FROM s_toast.orders ORDER BY id"))
                .as("also a row updated three times in one batch without resending the value")
                .containsExactly("1:60000", "2:60001", "3:60002");
    }

    @Test
    void aKeyChangeThatLeavesAToastValueUnchangedCarriesItToTheNewKey() throws Exception {
        String big = "x".repeat(60_000);
        log.insert(ORDERS);
        log.transaction(x -> List.of(new InsertEvent(ORDERS, Row.of(1, big), 50)));
        try (Pipeline pipeline = start("s_toastkey", "toastkey")) {
            Harness.awaitCaughtUp(pipeline);
            log.transaction(
                    x -> List.of(new UpdateEvent(ORDERS, Row.of(1, null), true, Row.of(10, Row.UNCHANGED), 50)));
            log.transaction(x -> List.of(
                    new InsertEvent(ORDERS, Row.of(3, big + "zzz"), 50),
                    new UpdateEvent(ORDERS, Row.of(3, null), true, Row.of(30, Row.UNCHANGED), 50),
                    new UpdateEvent(ORDERS, null, false, Row.of(30, Row.UNCHANGED), 50),
                    new UpdateEvent(ORDERS, Row.of(30, null), true, Row.of(31, Row.UNCHANGED), 50)));
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(query("SELECT id || ':' || length(note) FROM s_toastkey.orders ORDER BY id"))
                .as("the moved rows keep their values, also moved twice in one batch")
                .containsExactly("10:60000", "31:60003");
    }

    @Test
    void primaryKeyUpdateMovesTheRow() throws Exception {
        log.insert(ORDERS, 1, 2);
        log.transaction(x -> List.of(new UpdateEvent(ORDERS, Row.of(1, null), true, Row.of(10, "moved"), 50)));
        try (Pipeline pipeline = start("s_pk", "pk")) {
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(rows("s_pk")).containsExactly("2|row-2", "10|moved");
    }

    @Test
    void restartResumesFromThePositionCommittedWithTheData() throws Exception {
        log.snapshot(ORDERS, 1);
        try (Pipeline pipeline = start("s_resume", "resume", true)) {
            Harness.awaitCaughtUp(pipeline);
        }
        log.insert(ORDERS, 2);
        try (Pipeline pipeline = start("s_resume", "resume", true)) {
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(rows("s_resume")).containsExactly("1|row-1", "2|row-2");
        assertThat(query("SELECT count(*) FROM zeroetl.zeroetl_state WHERE pipeline_id = 'resume'"))
                .containsExactly("1");
    }

    @Test
    void anInstanceWhoseTargetAnotherClaimedSinceCommitsNothingAndSaysWhy() throws Exception {
        log.snapshot(ORDERS, 1);
        try (Pipeline first = start("s_fence", "fence", true)) {
            Harness.awaitCaughtUp(first);
            // the fake source keeps no lease, so nothing stops a second instance but the target's claim
            try (Pipeline second = start("s_fence", "fence", true)) {
                Harness.awaitCaughtUp(second);
                log.insert(ORDERS, 2);
                Harness.awaitCaughtUp(second);
                Harness.await("the first instance's commit to be refused", () -> first.state() == PipelineState.FAILED);

                assertThat(first.status().failure())
                        .contains("Another instance took pipeline fence over")
                        .contains("run one instance of a pipeline at a time");
                log.insert(ORDERS, 3);
                Harness.awaitCaughtUp(second);
            }
        }
        assertThat(rows("s_fence")).containsExactly("1|row-1", "2|row-2", "3|row-3");
        assertThat(query("SELECT epoch FROM zeroetl.zeroetl_claims WHERE pipeline_id = 'fence'"))
                .containsExactly("2");
    }

    @Test
    void aTypeChangedWhileThePipelineWasDownIsFollowedExactlyAfterTheRestart() throws Exception {
        ColumnType int4 = new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32);
        ColumnType narrow = new ColumnType("numeric", 1700, ColumnType.Size.decimal(10, 2), ValueType.DECIMAL);
        ColumnType wide = new ColumnType("numeric", 1700, ColumnType.Size.decimal(12, 4), ValueType.DECIMAL);
        TableSchema before = new TableSchema(
                ORDERS,
                List.of(new Column("id", int4, true, false), new Column("amount", narrow, false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        TableSchema after = new TableSchema(
                ORDERS,
                List.of(new Column("id", int4, true, false), new Column("amount", wide, false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        log.transaction(x -> List.<ChangeEvent>of(
                new RelationEvent(before),
                new SnapshotEvent(ORDERS, SnapshotEvent.Phase.STARTED, 0, 1),
                new InsertEvent(ORDERS, Row.of(1, new BigDecimal("1.25")), 50),
                new SnapshotEvent(ORDERS, SnapshotEvent.Phase.FINISHED, 1, 1)));
        try (Pipeline pipeline = start("s_downtime", "downtime", true)) {
            Harness.awaitCaughtUp(pipeline);
        }
        // while the pipeline is down the column widens; the first description after the restart is the new one
        log.transaction(x -> List.<ChangeEvent>of(
                new RelationEvent(after), new InsertEvent(ORDERS, Row.of(2, new BigDecimal("1.2345")), 50)));
        try (Pipeline pipeline = start("s_downtime", "downtime", true)) {
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(query("SELECT id || '|' || amount FROM s_downtime.orders ORDER BY id"))
                .as("the target column widened, not the value rounded")
                .containsExactly("1|1.2500", "2|1.2345");
    }

    @Test
    void aColumnAddedAtTheSourceIsAddedAndFilled() throws Exception {
        log.insert(ORDERS, 1);
        TableSchema wider = new TableSchema(
                ORDERS,
                List.of(
                        FakeLog.schema(ORDERS).columns().get(0),
                        FakeLog.schema(ORDERS).columns().get(1),
                        new Column("quantity", ColumnType.named("int4", ValueType.INT32), false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        log.transaction(
                x -> List.<ChangeEvent>of(new RelationEvent(wider), new InsertEvent(ORDERS, Row.of(2, "two", 7), 50)));
        try (Pipeline pipeline = start("s_add", "addcol")) {
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(query("SELECT id || ':' || coalesce(quantity::varchar, 'null') FROM s_add.orders ORDER BY id"))
                .containsExactly("1:null", "2:7");
    }

    @Test
    void aColumnWhoseTypeChangesIsRebuiltKeepingItsValues() throws Exception {
        TableId table = TableId.of("public", "orders");
        TableSchema narrow = new TableSchema(
                table,
                List.of(
                        new Column(
                                "id", new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32), true, false),
                        new Column(
                                "note",
                                new ColumnType("varchar", 1043, ColumnType.Size.length(10), ValueType.STRING),
                                false,
                                true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        TableSchema wide = new TableSchema(
                table,
                List.of(
                        new Column(
                                "id", new ColumnType("int8", 20, ColumnType.Size.NONE, ValueType.INT64), true, false),
                        new Column(
                                "note",
                                new ColumnType("varchar", 1043, ColumnType.Size.length(100), ValueType.STRING),
                                false,
                                true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        log.transaction(
                x -> List.<ChangeEvent>of(new RelationEvent(narrow), new InsertEvent(table, Row.of(1, "short"), 50)));
        log.transaction(x -> List.<ChangeEvent>of(
                new RelationEvent(wide), new InsertEvent(table, Row.of(5_000_000_000L, "x".repeat(100)), 50)));
        try (Pipeline pipeline = start("s_types", "types")) {
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(query("SELECT id || ':' || length(note) FROM s_types.orders ORDER BY id"))
                .containsExactly("1:5", "5000000000:100");
        assertThat(query("SELECT data_type || coalesce(character_maximum_length::varchar, '') FROM"
                        + " information_schema.columns WHERE table_schema = 's_types' AND table_name = 'orders'"
                        + " ORDER BY column_name"))
                .containsExactly("bigint", "character varying");
    }

    @Test
    void distributionLockingAndTheStagingLoaderAreConfigurable() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        StagingLoader counting = (connection, table, columns) -> {
            loads.incrementAndGet();
            return StagingLoader.multiRowInsert().open(connection, table, columns);
        };
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .schema("s_opts")
                .distribution("public.orders", Distribution.ALL)
                .lockTables(true)
                .stagingLoader(counting)
                .build();
        log.insert(ORDERS, 1);
        Source source = new FakeSource(new FakeReader(log, () -> io.zeroetl.Lsn.of(Long.MAX_VALUE)));
        redshift.clearStatements();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables(List.of(ORDERS))
                .pipelineId("opts")
                .flushInterval(Duration.ofMillis(50))
                .start()) {
            Harness.awaitCaughtUp(pipeline);
            log.insert(ORDERS, 2);
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(rows("s_opts")).containsExactly("1|row-1", "2|row-2");
        assertThat(loads.get()).isEqualTo(2);
        List<String> sent =
                redshift.statements().stream().map(RecordedStatement::sql).toList();
        assertThat(sent)
                .anySatisfy(s -> assertThat(s)
                        .startsWith("CREATE TABLE \"s_opts\".\"orders\"")
                        .contains("DISTSTYLE ALL")
                        .contains("COMPOUND SORTKEY(\"id\")"));
        assertThat(sent).anySatisfy(s -> assertThat(s).isEqualTo("LOCK \"s_opts\".\"orders\""));
    }

    @Test
    void aPrimaryKeyChangeRebuildsTheTableWithTheNewKey() throws Exception {
        ColumnType int4 = new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32);
        ColumnType text = new ColumnType("text", 25, ColumnType.Size.NONE, ValueType.STRING);
        TableSchema byId = new TableSchema(
                ORDERS,
                List.of(new Column("id", int4, true, false), new Column("note", text, false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        TableSchema byNote = new TableSchema(
                ORDERS,
                List.of(new Column("id", int4, false, false), new Column("note", text, true, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        log.transaction(x -> List.<ChangeEvent>of(
                new RelationEvent(byId),
                new InsertEvent(ORDERS, Row.of(1, "a"), 50),
                new InsertEvent(ORDERS, Row.of(2, "b"), 50)));
        log.transaction(x -> List.<ChangeEvent>of(
                new RelationEvent(byNote),
                new DeleteEvent(ORDERS, Row.of(null, "a"), true, 50),
                new InsertEvent(ORDERS, Row.of(3, "c"), 50)));
        redshift.clearStatements();
        try (Pipeline pipeline = start("s_rekey", "rekey")) {
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(rows("s_rekey")).containsExactly("2|b", "3|c");
        assertThat(redshift.statements())
                .anySatisfy(s -> assertThat(s.sql())
                        .contains("zeroetl_rebuild_")
                        .contains("PRIMARY KEY (\"note\")")
                        .contains("DISTKEY(\"note\")"));
    }

    @Test
    void aTableNamedLikeAStagingTableDoesNotPushAnotherTablesStagingOntoTheSameName() throws Exception {
        TableId lookalike = TableId.of("public", "zeroetl_stage_1");
        ColumnType int4 = new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32);
        ColumnType text = new ColumnType("text", 25, ColumnType.Size.NONE, ValueType.STRING);
        List<Column> columns = List.of(new Column("id", int4, true, false), new Column("note", text, false, true));
        log.transaction(x -> List.<ChangeEvent>of(
                new RelationEvent(new TableSchema(lookalike, columns, TableSchema.ReplicaIdentity.DEFAULT)),
                new RelationEvent(new TableSchema(ORDERS, columns, TableSchema.ReplicaIdentity.DEFAULT)),
                new InsertEvent(lookalike, Row.of(1, "a"), 50),
                new InsertEvent(ORDERS, Row.of(2, "b"), 50)));
        FakeReader reader = new FakeReader(log, () -> io.zeroetl.Lsn.of(Long.MAX_VALUE));
        try (Pipeline pipeline = ZeroEtl.from(new FakeSource(reader))
                .to(target("s_lookalike"))
                .tables(List.of(lookalike, ORDERS))
                .pipelineId("lookalike")
                .flushInterval(Duration.ofMillis(50))
                .start()) {
            Harness.awaitCaughtUp(pipeline);
            assertThat(pipeline.status().tables().values())
                    .as("the first table's staging table skips the number its name starts with; the second's must"
                            + " not take that number again")
                    .allSatisfy(t -> assertThat(t.reason()).isNull());
        }
        assertThat(query("SELECT id || '|' || note FROM s_lookalike.orders")).containsExactly("2|b");
        assertThat(query("SELECT id || '|' || note FROM s_lookalike.zeroetl_stage_1"))
                .containsExactly("1|a");
    }

    private List<String> rows(String schema) throws SQLException {
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

package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UnreadableValue;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.change.ValueType;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.FakeReader;
import io.zeroetl.fakes.FakeSource;
import io.zeroetl.fakes.Harness;
import io.zeroetl.spi.ColumnMapping;
import io.zeroetl.spi.TypeMapper;
import io.zeroetl.testing.InjectedFailure;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The invariant "a failure confined to one table fails that table only", for every kind of statement the
 * applier sends for a table and every SQLSTATE class, and for the mapping and decoding steps: the emulator
 * fails one statement of the victim table, and the victim goes FAILED with the error while the bystander
 * keeps replicating and the pipeline keeps streaming.
 */
class FailureConfinementIT {
    private static final TableId VICTIM = TableId.of("public", "victim");
    private static final TableId BYSTANDER = TableId.of("public", "bystander");
    /** The victim's distinctive column type, so its staging table can be told apart. */
    private static final String VICTIM_MARK = "VARCHAR(76)";

    private static final Pattern STAGE = Pattern.compile("CREATE TEMP TABLE \"(zeroetl_stage_\\d+)\"");

    static RedshiftEmulator redshift;
    static final Map<String, Injection> armed = new ConcurrentHashMap<>();
    static final Set<String> victimStages = ConcurrentHashMap.newKeySet();

    /**
     * Fail the first statement of the victim that {@code matches} (of any table when {@code anyTable}), with
     * {@code sqlState}.
     */
    record Injection(String kind, Pattern matches, String sqlState, boolean anyTable) {}

    /**
     * The kinds of statement only a batch staged table by table sends: the batch stages in the shared table
     * first, so its load (the rows of both tables) fails first, and the batch applied again table by table meets
     * the victim's failure.
     */
    private static final Set<String> TABLE_BY_TABLE = Set.of("staging table", "staging load", "unchanged-value fill");

    @BeforeAll
    static void start() {
        redshift = RedshiftEmulator.builder()
                .beforeStatement(FailureConfinementIT::inject)
                .start();
    }

    @AfterAll
    static void stop() {
        redshift.close();
    }

    private static void inject(String sql) {
        Matcher stage = STAGE.matcher(sql);
        if (stage.find() && sql.contains(VICTIM_MARK)) {
            victimStages.add(stage.group(1));
        }
        boolean victims = sql.contains("\"victim\"") || victimStages.stream().anyMatch(sql::contains);
        for (Injection injection : armed.values()) {
            if ((victims || injection.anyTable())
                    && injection.matches().matcher(sql).find()
                    && armed.remove(injection.kind()) != null) {
                throw new InjectedFailure(injection.sqlState(), "injected failure of a " + injection.kind());
            }
        }
    }

    static Stream<Arguments> statements() {
        return Stream.of(
                Arguments.of("CREATE TABLE", "^CREATE TABLE \"s_[a-z_]+\"\\.\"victim\"", "42601"),
                Arguments.of("staging table", "^CREATE TEMP TABLE", "54000"),
                Arguments.of("staging load", "^INSERT INTO \"zeroetl_stage_", "22001"),
                Arguments.of("unchanged-value fill", "^UPDATE \"zeroetl_stage_", "XX000"),
                Arguments.of("merge delete", "^DELETE FROM \"s_[a-z_]+\"\\.\"victim\" USING", "23505"),
                Arguments.of("merge insert", "^INSERT INTO \"s_[a-z_]+\"\\.\"victim\"", "0A000"),
                Arguments.of("ADD COLUMN", "^ALTER TABLE \"s_[a-z_]+\"\\.\"victim\" ADD COLUMN", "42P01"),
                Arguments.of("RENAME COLUMN", "RENAME COLUMN", "42501"),
                Arguments.of("truncate", "^DELETE FROM \"s_[a-z_]+\"\\.\"victim\"$", "25P02"));
    }

    @ParameterizedTest(name = "{0} failing with {2}")
    @MethodSource("statements")
    void aStatementOfOneTableThatFailsFailsThatTableOnly(String kind, String pattern, String sqlState)
            throws Exception {
        String schema = "s_" + kind.toLowerCase().replaceAll("[^a-z]+", "_");
        armed.put(kind, new Injection(kind, Pattern.compile(pattern), sqlState, false));
        if (TABLE_BY_TABLE.contains(kind)) {
            armed.put(
                    "shared",
                    new Injection("shared", Pattern.compile("^INSERT INTO \"zeroetl_stage_0\""), "22001", true));
        }
        FakeLog log = new FakeLog();
        script(log);
        try (Pipeline pipeline = start(log, schema, RedshiftTypeMapper.DEFAULT)) {
            Harness.await(
                    kind + " to fail the victim",
                    () -> pipeline.status()
                            .table(VICTIM)
                            .map(t -> t.state() == TableState.FAILED)
                            .orElse(false));
            log.transaction(x -> List.of(new InsertEvent(BYSTANDER, Row.of(100, "after"), 50)));
            Harness.awaitCaughtUp(pipeline);
            assertThat(pipeline.status().table(VICTIM).orElseThrow().reason())
                    .contains("injected failure of a " + kind)
                    .contains(sqlState);
            assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
        }
        assertThat(armed).as("the injection fired").doesNotContainKey(kind).doesNotContainKey("shared");
        assertThat(rows(schema + ".bystander")).containsExactly("1|a", "2|moved", "100|after");
        assertThat(query("SELECT state FROM zeroetl.zeroetl_table_state WHERE pipeline_id = '" + schema
                        + "' AND table_name = '\"public\".\"victim\"'"))
                .containsExactly("FAILED");
    }

    @Test
    void aTypeMapperThatThrowsForOneTableFailsThatTableOnly() throws Exception {
        FakeLog log = new FakeLog();
        script(log);
        TypeMapper mapper = (table, column) -> {
            if (table.equals(VICTIM) && column.name().equals("note")) {
                throw new IllegalStateException("this mapper cannot map victim.note");
            }
            return RedshiftTypeMapper.DEFAULT.map(table, column);
        };
        try (Pipeline pipeline = start(log, "s_mapper", mapper)) {
            Harness.awaitCaughtUp(pipeline);
            assertThat(pipeline.status().table(VICTIM).orElseThrow().state()).isEqualTo(TableState.FAILED);
            assertThat(pipeline.status().table(VICTIM).orElseThrow().reason()).contains("cannot map victim.note");
            assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
        }
        assertThat(rows("s_mapper.bystander")).containsExactly("1|a", "2|moved");
    }

    @Test
    void aValueTheSourceCouldNotDecodeFailsThatTableOnlyWithTheReason() throws Exception {
        FakeLog log = new FakeLog();
        script(log);
        log.transaction(x -> List.of(new InsertEvent(
                VICTIM,
                Row.of(9, new UnreadableValue("\\xZZ", "column note (bytea) did not decode: not hex"), 1),
                50)));
        try (Pipeline pipeline = start(log, "s_decode", RedshiftTypeMapper.DEFAULT)) {
            Harness.awaitCaughtUp(pipeline);
            assertThat(pipeline.status().table(VICTIM).orElseThrow().reason())
                    .contains("could not be read")
                    .contains("not hex");
            assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
        }
        assertThat(rows("s_decode.bystander")).containsExactly("1|a", "2|moved");
    }

    /**
     * A staging COPY that Redshift refuses (here: a host's type mapper declares a text column INTEGER) fails
     * that table only, and the reason says where, as the load-error log records it: file, line, the user's
     * column — from STL_LOAD_ERRORS on a provisioned cluster, from SYS_LOAD_ERROR_DETAIL on Serverless, which
     * has no STL tables.
     */
    @ParameterizedTest(name = "serverless: {0}")
    @ValueSource(booleans = {false, true})
    void aStagingCopyThatRedshiftRefusesFailsThatTableWithTheLineAndColumn(boolean serverless) throws Exception {
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator withS3 = serverless
                        ? RedshiftEmulator.builder().s3(s3).serverless().start()
                        : RedshiftEmulator.builder().s3(s3).start()) {
            s3.createBucket("confinement");
            FakeLog log = new FakeLog();
            script(log);
            TypeMapper mapper =
                    (table, column) -> table.equals(VICTIM) && column.name().equals("note")
                            ? new ColumnMapping() {
                                @Override
                                public String targetType() {
                                    return "INTEGER";
                                }

                                @Override
                                public Object convert(Object value) {
                                    return value;
                                }
                            }
                            : RedshiftTypeMapper.DEFAULT.map(table, column);
            Source source = new FakeSource(new FakeReader(log, () -> io.zeroetl.Lsn.of(Long.MAX_VALUE)));
            RedshiftTarget target = RedshiftTarget.builder()
                    .jdbcUrl(withS3.jdbcUrl())
                    .user(withS3.user())
                    .password(withS3.password())
                    .ssl(false)
                    .schema("s_copy")
                    .typeMapper(mapper)
                    .s3Staging(S3Staging.builder()
                            .bucket("confinement")
                            .endpoint(s3.endpoint())
                            .credentials(StaticCredentialsProvider.create(
                                    AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                            .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                            .threshold(0)
                            .build())
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(target)
                    .tables(List.of(VICTIM, BYSTANDER))
                    .pipelineId("s_copy")
                    .flushInterval(Duration.ofMillis(50))
                    .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                    .start()) {
                Harness.await(
                        "the COPY to fail the victim",
                        () -> pipeline.status()
                                .table(VICTIM)
                                .map(t -> t.state() == TableState.FAILED)
                                .orElse(false));
                Harness.awaitCaughtUp(pipeline);
                assertThat(pipeline.status().table(VICTIM).orElseThrow().reason())
                        .contains("COPY of")
                        .contains("line 1, column note")
                        .contains("s3://confinement/");
                assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
            }
            try (Connection c = withS3.connect();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id || '|' || note FROM s_copy.bystander ORDER BY id")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
                assertThat(rows).containsExactly("1|a", "2|moved");
            }
            assertThat(s3.keys("confinement", "")).isEmpty();
        }
    }

    /** Both tables: created, loaded, a row moved, a TOAST value left unchanged, a column added and renamed, truncated. */
    private static void script(FakeLog log) {
        ColumnType int4 = new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32);
        ColumnType victimText = new ColumnType("varchar", 1043, ColumnType.Size.length(19), ValueType.STRING);
        ColumnType text = new ColumnType("text", 25, ColumnType.Size.NONE, ValueType.STRING);
        for (TableId table : List.of(VICTIM, BYSTANDER)) {
            ColumnType t = table.equals(VICTIM) ? victimText : text;
            TableSchema two = new TableSchema(
                    table,
                    List.of(new Column("id", int4, true, false), new Column("note", t, false, true)),
                    TableSchema.ReplicaIdentity.DEFAULT);
            TableSchema three = new TableSchema(
                    table,
                    List.of(
                            new Column("id", int4, true, false),
                            new Column("note", t, false, true),
                            new Column("extra", int4, false, true)),
                    TableSchema.ReplicaIdentity.DEFAULT);
            TableSchema renamed = new TableSchema(
                    table,
                    List.of(
                            new Column("id", int4, true, false),
                            new Column("note", t, false, true),
                            new Column("extra2", int4, false, true)),
                    TableSchema.ReplicaIdentity.DEFAULT);
            log.transaction(x -> List.of(
                    new RelationEvent(two),
                    new InsertEvent(table, Row.of(1, "a"), 50),
                    new InsertEvent(table, Row.of(2, "b"), 50),
                    new UpdateEvent(table, null, false, Row.of(2, Row.UNCHANGED), 50)));
            log.transaction(x -> List.of(
                    new UpdateEvent(table, null, false, Row.of(2, "moved"), 50),
                    new InsertEvent(table, Row.of(3, "c"), 50),
                    new DeleteEvent(table, Row.of(3, null), true, 50)));
            log.transaction(x -> List.of(new RelationEvent(three), new InsertEvent(table, Row.of(4, "d", 4), 50)));
            log.transaction(x -> List.of(
                    new SchemaChangeEvent(table, "ALTER TABLE", "", renamed, Map.of("extra", "extra2")),
                    new RelationEvent(renamed)));
            if (table.equals(VICTIM)) {
                log.transaction(x -> List.of(new TruncateEvent(List.of(table), false, false)));
            } else {
                log.transaction(x -> List.of(new DeleteEvent(table, Row.of(4, null, null), true, 50)));
            }
        }
    }

    private static Pipeline start(FakeLog log, String schema, TypeMapper mapper) {
        Source source = new FakeSource(new FakeReader(log, () -> io.zeroetl.Lsn.of(Long.MAX_VALUE)));
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .schema(schema)
                .typeMapper(mapper)
                .build();
        return ZeroEtl.from(source)
                .to(target)
                .tables(List.of(VICTIM, BYSTANDER))
                .pipelineId(schema)
                .flushInterval(Duration.ofMillis(50))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .start();
    }

    private static List<String> rows(String table) throws SQLException {
        return query("SELECT id || '|' || coalesce(note, 'null') FROM " + table + " ORDER BY id");
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

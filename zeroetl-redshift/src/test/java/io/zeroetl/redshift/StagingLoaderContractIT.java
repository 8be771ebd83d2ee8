package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
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
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What any {@link StagingLoader} must do, run against zeroetl's loaders and one written in this test against
 * the public SPI only: every value lands exactly (quotes, delimiters, line breaks, empty strings against NULL,
 * Unicode, SUPER documents, VARBYTE including empty), through inserts, updates, deletes, key moves and
 * unchanged values, in a trickle and in a batch far above the S3 threshold; and a loader leaves nothing behind
 * in S3.
 */
class StagingLoaderContractIT {
    private static final TableId DOCS = TableId.of("public", "docs");
    private static final TableSchema SCHEMA = new TableSchema(
            DOCS,
            List.of(
                    new Column("id", ColumnType.named("int4", ValueType.INT32), true, false),
                    new Column("note", ColumnType.named("text", ValueType.STRING), false, true),
                    new Column("doc", ColumnType.named("jsonb", ValueType.JSON), false, true),
                    new Column("bin", ColumnType.named("bytea", ValueType.BYTES), false, true)),
            TableSchema.ReplicaIdentity.DEFAULT);

    static S3Server s3;
    static RedshiftEmulator redshift;

    @BeforeAll
    static void start() {
        s3 = S3Server.start();
        s3.createBucket("zeroetl-staging");
        redshift = RedshiftEmulator.builder().s3(s3).start();
    }

    @AfterAll
    static void stop() {
        assertThat(redshift.rejectedStatements())
                .as("statements the emulator rejected")
                .isEmpty();
        redshift.close();
        s3.close();
    }

    static Stream<String> loaders() {
        return Stream.of("insert", "s3-always", "s3-threshold", "s3-uncompressed", "s3-zstd", "host-written");
    }

    private static StagingLoader loader(String name) {
        return switch (name) {
            case "insert" -> StagingLoader.multiRowInsert();
            case "s3-always" -> StagingLoader.s3(staging().threshold(0).build());
            case "s3-threshold" -> StagingLoader.s3(staging().build());
            case "s3-uncompressed" ->
                StagingLoader.s3(staging()
                        .threshold(0)
                        .compression(S3Staging.Compression.NONE)
                        .build());
            case "s3-zstd" ->
                StagingLoader.s3(staging()
                        .threshold(0)
                        .compression(S3Staging.Compression.ZSTD)
                        .build());
            case "host-written" -> new RowByRowLoader();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static S3Staging.Builder staging() {
        return S3Staging.builder()
                .bucket("zeroetl-staging")
                .endpoint(s3.endpoint())
                .credentials(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                .partBytes(1 << 20);
    }

    @ParameterizedTest
    @MethodSource("loaders")
    void everyValueLandsExactlyThroughEveryKindOfChange(String name) throws Exception {
        String schema = "c_" + name.replace('-', '_');
        redshift.clearStatements();
        FakeLog log = new FakeLog();
        List<Object[]> expected = new ArrayList<>();
        Random r = new Random(42);
        log.transaction(x -> {
            List<ChangeEvent> events = new ArrayList<>();
            events.add(new RelationEvent(SCHEMA));
            for (int id = 1; id <= 12; id++) {
                Object[] row = hostileRow(id, r);
                expected.add(row);
                events.add(new InsertEvent(DOCS, Row.of(row), 100));
            }
            return events;
        });
        try (Pipeline pipeline = start(log, schema, loader(name))) {
            Harness.awaitCaughtUp(pipeline);
            assertThat(rows(schema)).as("a trickle").containsExactlyElementsOf(render(expected));

            // a batch far above the threshold: updates, key moves, unchanged values, deletes, new rows
            log.transaction(x -> {
                List<ChangeEvent> events = new ArrayList<>();
                events.add(new UpdateEvent(
                        DOCS, null, false, Row.of(1, "updated \"1\"", Row.UNCHANGED, Row.UNCHANGED), 100));
                expected.set(0, new Object[] {1, "updated \"1\"", expected.get(0)[2], expected.get(0)[3]});
                events.add(new UpdateEvent(
                        DOCS,
                        Row.of(2, null, null, null),
                        true,
                        Row.of(2000000, expected.get(1)[1], Row.UNCHANGED, expected.get(1)[3]),
                        100));
                expected.set(1, new Object[] {2000000, expected.get(1)[1], expected.get(1)[2], expected.get(1)[3]});
                events.add(new DeleteEvent(DOCS, Row.of(3, null, null, null), true, 100));
                expected.remove(2);
                for (int id = 100; id < 100 + 25_000; id++) {
                    Object[] row = id % 1000 == 0
                            ? hostileRow(id, r)
                            : new Object[] {id, "n" + id, "{\"i\":" + id + "}", new byte[] {(byte) id}};
                    expected.add(row);
                    events.add(new InsertEvent(DOCS, Row.of(row), 100));
                }
                return events;
            });
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(rows(schema)).as("after a large batch").containsExactlyElementsOf(render(expected));
        assertThat(s3.keys("zeroetl-staging", "")).as("objects left in S3").isEmpty();
        assertThat(redshift.statements())
                .as("staging tables of their own distributed as their target is (merge-create-staging-table)")
                .filteredOn(s -> s.sql().matches("(?s)CREATE TEMP TABLE \"zeroetl_stage_\\d+\" \\(zeroetl_seq.*"))
                .allSatisfy(s -> assertThat(s.sql()).endsWith(" DISTSTYLE KEY DISTKEY(c1)"));
        assertThat(redshift.statements())
                .as("one shared staging table for the session, not one per table and batch")
                .filteredOn(s -> s.sql().startsWith("CREATE TEMP TABLE \"zeroetl_stage_0\" (zeroetl_part"))
                .hasSize(1);
        if (name.startsWith("s3")) {
            assertThat(redshift.statements())
                    .as("a COPY ran")
                    .anySatisfy(s -> assertThat(s.sql()).startsWith("COPY"));
        }
    }

    /**
     * A copy into a table created empty in the batch goes straight into it through the loader (no staging
     * table, no merge), and changes to the copied rows later in the same batch still apply after it.
     */
    @ParameterizedTest
    @MethodSource("loaders")
    void aCopyIntoANewTableIsLoadedStraightIntoItAndLaterChangesInTheBatchApply(String name) throws Exception {
        String schema = "d_" + name.replace('-', '_');
        redshift.clearStatements();
        FakeLog log = new FakeLog();
        List<Object[]> expected = new ArrayList<>();
        Random r = new Random(7);
        log.transaction(x -> {
            // as the PostgreSQL source sends a copy: started, the table's description, its truncate, the rows
            List<ChangeEvent> events = new ArrayList<>();
            events.add(new SnapshotEvent(DOCS, SnapshotEvent.Phase.STARTED, 0, 20_000));
            events.add(new RelationEvent(SCHEMA));
            events.add(new TruncateEvent(List.of(DOCS), false, false));
            for (int id = 1; id <= 20_000; id++) {
                Object[] row = id % 500 == 0 ? hostileRow(id, r) : new Object[] {id, "n" + id, null, null};
                expected.add(row);
                events.add(new InsertEvent(DOCS, Row.of(row), 100));
            }
            events.add(new SnapshotEvent(DOCS, SnapshotEvent.Phase.FINISHED, 20_000, 20_000));
            events.add(new UpdateEvent(DOCS, null, false, Row.of(5, "changed after the copy", null, null), 100));
            expected.set(4, new Object[] {5, "changed after the copy", null, null});
            events.add(new DeleteEvent(DOCS, Row.of(6, null, null, null), true, 100));
            expected.remove(5);
            return events;
        });
        try (Pipeline pipeline = start(log, schema, loader(name))) {
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(rows(schema)).containsExactlyElementsOf(render(expected));
        List<String> sent =
                redshift.statements().stream().map(s -> s.sql().strip()).toList();
        assertThat(sent)
                .as("the copied rows went straight into the new table")
                .anySatisfy(s -> assertThat(s).matches("(?s)(INSERT INTO|COPY) \"" + schema + "\"\\.\"docs\" .*"));
        assertThat(s3.keys("zeroetl-staging", "")).as("objects left in S3").isEmpty();
    }

    /**
     * A decimal with more fraction digits than its column (here a host's mapper narrows numeric(12,4) to
     * DECIMAL(12,2)) is rounded by every loader, as CAST rounds: a COPY truncates unless told ROUNDEC
     * (copy-parameters-data-conversion), and the loaders must not disagree.
     */
    @ParameterizedTest
    @MethodSource("loaders")
    void aDecimalWithMoreFractionDigitsThanItsColumnIsRoundedByEveryLoader(String name) throws Exception {
        String schema = "n_" + name.replace('-', '_');
        TableId prices = TableId.of("public", "prices");
        FakeLog log = new FakeLog();
        String[] values = {"1.2399", "2.0050", "-3.4567", "4.1111", "0.0049"};
        log.transaction(x -> {
            List<ChangeEvent> events = new ArrayList<>();
            events.add(new RelationEvent(new TableSchema(
                    prices,
                    List.of(
                            new Column("id", ColumnType.named("int4", ValueType.INT32), true, false),
                            new Column("amount", ColumnType.named("numeric", ValueType.DECIMAL), false, true)),
                    TableSchema.ReplicaIdentity.DEFAULT)));
            for (int i = 0; i < values.length; i++) {
                events.add(new InsertEvent(prices, Row.of(i, new java.math.BigDecimal(values[i])), 100));
            }
            return events;
        });
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .schema(schema)
                .stagingLoader(loader(name))
                .typeMapper((table, column) -> column.name().equals("amount")
                        ? RedshiftTypeMapper.mapping("DECIMAL(12,2)", v -> ((java.math.BigDecimal) v).toPlainString())
                        : RedshiftTypeMapper.DEFAULT.map(table, column))
                .build();
        Source source = new FakeSource(new FakeReader(log, () -> Lsn.of(Long.MAX_VALUE)));
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables(List.of(prices))
                .pipelineId(schema)
                .flushInterval(Duration.ofMillis(50))
                .start()) {
            Harness.awaitCaughtUp(pipeline);
        }
        List<String> amounts = new ArrayList<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT amount FROM " + schema + ".prices ORDER BY id")) {
            while (rs.next()) {
                amounts.add(rs.getString(1));
            }
        }
        assertThat(amounts).containsExactly("1.24", "2.01", "-3.46", "4.11", "0.00");
    }

    /** Values that break naive CSV, JSON or hex handling. */
    private static Object[] hostileRow(int id, Random r) {
        String[] notes = {
            "",
            null,
            "a,b",
            "quote \" inside",
            "\"\"",
            "line\nbreak\r\nand CR",
            "tab\there",
            "back\\slash",
            "NULL",
            "\\N",
            "zeroetl-null-",
            "日本語 ü ✓ 𝄞",
            " leading and trailing ",
            "x".repeat(70)
        };
        String[] docs = {
            null,
            "{}",
            "[]",
            "\"a string\"",
            "{\"k\": \"v,\\\"q\\\"\\n\"}",
            "[1, 2.5, true, null]",
            "{\"nested\": {\"deep\": [{\"x\": \"日本\"}]}}"
        };
        byte[][] bins = {
            null,
            new byte[0],
            new byte[] {0},
            "a,b\"c\n".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xff, 0, 1}
        };
        return new Object[] {
            id, notes[r.nextInt(notes.length)], docs[r.nextInt(docs.length)], bins[r.nextInt(bins.length)]
        };
    }

    private static List<String> render(List<Object[]> rows) {
        return rows.stream()
                .sorted(Comparator.comparingInt(row -> (Integer) row[0]))
                .map(row -> row[0] + "|" + show(row[1]) + "|" + (row[2] == null ? "<null>" : compact((String) row[2]))
                        + "|" + (row[3] == null ? "<null>" : HexFormat.of().formatHex((byte[]) row[3])))
                .toList();
    }

    private static String show(Object note) {
        return note == null ? "<null>" : "[" + note + "]";
    }

    private static String compact(String json) {
        try {
            return new ObjectMapper().readTree(json).toString();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<String> rows(String schema) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT id, note, JSON_SERIALIZE(doc), TO_HEX(bin) FROM " + schema + ".docs ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + show(rs.getString(2)) + "|"
                        + (rs.getString(3) == null ? "<null>" : compact(rs.getString(3))) + "|"
                        + (rs.getString(4) == null ? "<null>" : rs.getString(4)));
            }
        }
        return rows;
    }

    private Pipeline start(FakeLog log, String schema, StagingLoader loader) {
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .schema(schema)
                .stagingLoader(loader)
                .build();
        Source source = new FakeSource(new FakeReader(log, () -> Lsn.of(Long.MAX_VALUE)));
        return ZeroEtl.from(source)
                .to(target)
                .tables(List.of(DOCS))
                .pipelineId(schema)
                .flushInterval(Duration.ofMillis(50))
                .batchSize(100_000)
                .start();
    }

    /**
     * A host's own loader, written against the public SPI only: one INSERT per row, each value cast as the
     * loader's documentation says values come (SUPER as JSON text, VARBYTE as hex).
     */
    static final class RowByRowLoader implements StagingLoader {
        @Override
        public Load open(Connection connection, String table, List<Column> columns) throws SQLException {
            Function<Column, String> param = c -> c.type().equals("SUPER")
                    ? "JSON_PARSE(?)"
                    : c.type().startsWith("VARBYTE") ? "TO_VARBYTE(?, 'hex')" : "CAST(? AS " + c.type() + ")";
            PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table + " VALUES ("
                    + String.join(", ", columns.stream().map(param).toList()) + ")");
            return new Load() {
                @Override
                public void add(String[] row) throws SQLException {
                    for (int i = 0; i < row.length; i++) {
                        ps.setString(i + 1, row[i]);
                    }
                    ps.addBatch();
                }

                @Override
                public void finish() throws SQLException {
                    ps.executeBatch();
                }

                @Override
                public void close() throws SQLException {
                    ps.close();
                }
            };
        }

        @Override
        public String toString() {
            return "RowByRowLoader";
        }
    }
}

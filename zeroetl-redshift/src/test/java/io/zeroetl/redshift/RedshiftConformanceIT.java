package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.DeleteMode;
import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.Interval;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.change.ValueType;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.FakeReader;
import io.zeroetl.fakes.FakeSource;
import io.zeroetl.fakes.Harness;
import io.zeroetl.spi.RowDigests;
import io.zeroetl.spi.TargetDigests;
import io.zeroetl.testing.RedshiftEmulator;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conformance for a real cluster: every statement shape of {@code SQL.md} and a round trip of every mapped
 * type, sent by the real applier and validation to a Redshift of yours, in a schema of its own that is
 * dropped afterwards. Set {@code -Dzeroetl.redshift.url=jdbc:redshift://<cluster>:5439/dev},
 * {@code -Dzeroetl.redshift.user=...} and {@code -Dzeroetl.redshift.password=...}:
 *
 * <pre>{@code
 * mvn -B verify -pl zeroetl-redshift -am -Dit.test=RedshiftConformanceIT -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dzeroetl.redshift.url=jdbc:redshift://my-cluster.abc.eu-west-1.redshift.amazonaws.com:5439/dev \
 *     -Dzeroetl.redshift.user=admin -Dzeroetl.redshift.password=...
 * }</pre>
 *
 * Without a cluster it runs against the emulator, so the suite itself stays working.
 */
class RedshiftConformanceIT {
    private static final String URL = System.getProperty("zeroetl.redshift.url", "");
    private static final String SCHEMA =
            "zeroetl_conformance_" + UUID.randomUUID().toString().substring(0, 8);
    private static final TableId ORDERS = TableId.of("conf", "orders");
    private static final TableId DUPS = TableId.of("conf", "dups");
    private static final TableId TYPES = TableId.of("conf", "types");
    private static RedshiftEmulator emulator;

    @BeforeAll
    static void start() {
        if (URL.isEmpty()) {
            emulator = RedshiftEmulator.start();
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + id(SCHEMA) + " CASCADE");
            s.execute("DROP SCHEMA IF EXISTS " + id(SCHEMA + "_state") + " CASCADE");
        }
        if (emulator != null) {
            assertThat(emulator.rejectedStatements())
                    .as("statements the emulator rejected")
                    .isEmpty();
            emulator.close();
        }
    }

    @Test
    void everyStatementShapeTheTargetSendsRunsAndLeavesTheRightRows() throws Exception {
        FakeLog log = new FakeLog();
        ColumnType int4 = new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32);
        ColumnType int8 = new ColumnType("int8", 20, ColumnType.Size.NONE, ValueType.INT64);
        ColumnType text = new ColumnType("text", 25, ColumnType.Size.NONE, ValueType.STRING);
        TableSchema orders =
                schema(ORDERS, List.of(new Column("id", int4, true, false), new Column("note", text, false, true)));
        TableSchema dups = new TableSchema(
                DUPS,
                List.of(new Column("a", int4, false, true), new Column("b", text, false, true)),
                TableSchema.ReplicaIdentity.FULL);
        String big = "x".repeat(20_000);
        log.transaction(x -> List.of(
                new RelationEvent(orders),
                new InsertEvent(ORDERS, Row.of(1, big), 50),
                new InsertEvent(ORDERS, Row.of(2, "b"), 50),
                new UpdateEvent(ORDERS, null, false, Row.of(1, Row.UNCHANGED), 50),
                new RelationEvent(dups),
                new InsertEvent(DUPS, Row.of(1, "x"), 50),
                new InsertEvent(DUPS, Row.of(1, "x"), 50),
                new InsertEvent(DUPS, Row.of(2, null), 50)));
        log.transaction(x -> List.of(
                new UpdateEvent(ORDERS, Row.of(1, null), true, Row.of(10, Row.UNCHANGED), 50),
                new DeleteEvent(ORDERS, Row.of(2, null), true, 50),
                new DeleteEvent(DUPS, Row.of(1, "x"), false, 50),
                new UpdateEvent(DUPS, Row.of(2, null), false, Row.of(2, "y"), 50)));
        TableSchema added = schema(
                ORDERS,
                List.of(
                        new Column("id", int4, true, false),
                        new Column("note", text, false, true),
                        new Column("qty", int4, false, true)));
        TableSchema renamed = schema(
                ORDERS,
                List.of(
                        new Column("id", int4, true, false),
                        new Column("note", text, false, true),
                        new Column("quantity", int4, false, true)));
        TableSchema widened = schema(
                ORDERS,
                List.of(
                        new Column("id", int4, true, false),
                        new Column("note", text, false, true),
                        new Column("quantity", int8, false, true)));
        TableSchema rekeyed = schema(
                ORDERS,
                List.of(
                        new Column("id", int8, true, false),
                        new Column("note", text, false, true),
                        new Column("quantity", int8, false, true)));
        log.transaction(x -> List.of(
                new RelationEvent(added),
                new InsertEvent(ORDERS, Row.of(3, "c", 3), 50),
                new SchemaChangeEvent(ORDERS, "ALTER TABLE", "", renamed, Map.of("qty", "quantity")),
                new RelationEvent(renamed),
                new RelationEvent(widened),
                new InsertEvent(ORDERS, Row.of(4, "d", 5_000_000_000L), 50),
                new RelationEvent(rekeyed),
                new InsertEvent(ORDERS, Row.of(9_000_000_000L, "e", 1L), 50)));
        log.transaction(x ->
                List.of(new TruncateEvent(List.of(DUPS), false, false), new InsertEvent(DUPS, Row.of(5, "z"), 50)));
        try (Pipeline pipeline = start(log, "conformance", b -> b)) {
            Harness.awaitCaughtUp(pipeline);
            assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
            assertThat(pipeline.status().tables().values())
                    .allSatisfy(t -> assertThat(t.reason()).isNull());
        }
        assertThat(query("SELECT id || '|' || LENGTH(note) || '|' || COALESCE(CAST(quantity AS VARCHAR), 'null') FROM "
                        + id(SCHEMA) + ".orders ORDER BY id"))
                .containsExactly("3|1|3", "4|1|5000000000", "10|20000|null", "9000000000|1|1");
        assertThat(query("SELECT a || '|' || COALESCE(b, 'null') FROM " + id(SCHEMA) + ".dups ORDER BY a"))
                .containsExactly("5|z");
        TargetDigests digests = target("conformance").digests("conformance");
        try (RowDigests d = digests) {
            d.refresh();
            Map<Integer, RowDigests.Digest> buckets = d.buckets(renamed(rekeyed), 1024);
            assertThat(buckets.values().stream()
                            .mapToLong(RowDigests.Digest::rows)
                            .sum())
                    .isEqualTo(4);
            assertThat(d.rows(renamed(rekeyed), 1024, buckets.keySet())).hasSize(4);
        }
    }

    @Test
    void historyAndSoftDeletesRunAsDocumented() throws Exception {
        FakeLog log = new FakeLog();
        ColumnType int4 = new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32);
        TableSchema orders =
                schema(ORDERS, List.of(new Column("id", int4, true, false), new Column("n", int4, false, true)));
        log.transaction(x -> List.of(new RelationEvent(orders), new InsertEvent(ORDERS, Row.of(1, 1), 50)));
        log.transaction(x -> List.of(new UpdateEvent(ORDERS, null, false, Row.of(1, 2), 50)));
        log.transaction(x -> List.of(
                new DeleteEvent(ORDERS, Row.of(1, null), true, 50), new TruncateEvent(List.of(ORDERS), false, false)));
        try (Pipeline pipeline = start(
                log,
                "history",
                b -> b.table(
                        "conf.orders", t -> t.deleteMode(DeleteMode.HISTORY).targetName("orders_history")))) {
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(query("SELECT n || '|' || CASE WHEN \"_record_is_active\" THEN 'a' ELSE 'c' END FROM " + id(SCHEMA)
                        + ".orders_history ORDER BY n"))
                .containsExactly("1|c", "2|c");
    }

    @Test
    void everyMappedTypeRoundTrips() throws Exception {
        FakeLog log = new FakeLog();
        List<Column> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        columns.add(new Column("id", new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32), true, false));
        values.add(1);
        typeCase(columns, values, expected, "int2", 21, ColumnType.Size.NONE, (short) -32768, "-32768");
        typeCase(
                columns,
                values,
                expected,
                "int8",
                20,
                ColumnType.Size.NONE,
                Long.MIN_VALUE,
                Long.toString(Long.MIN_VALUE));
        typeCase(
                columns,
                values,
                expected,
                "numeric",
                1700,
                ColumnType.Size.decimal(12, 3),
                new BigDecimal("123456789.123"),
                "123456789.123");
        typeCase(
                columns,
                values,
                expected,
                "money",
                790,
                ColumnType.Size.NONE,
                new BigDecimal("-92233720368547758.08"),
                "-92233720368547758.080");
        typeCase(columns, values, expected, "float8", 701, ColumnType.Size.NONE, 0.1, "0.1");
        typeCase(columns, values, expected, "bool", 16, ColumnType.Size.NONE, true, "true");
        typeCase(columns, values, expected, "varchar", 1043, ColumnType.Size.length(10), "héllo 😀", "héllo 😀");
        typeCase(
                columns, values, expected, "date", 1082, ColumnType.Size.NONE, LocalDate.of(2024, 2, 29), "2024-02-29");
        typeCase(
                columns,
                values,
                expected,
                "timestamp",
                1114,
                ColumnType.Size.NONE,
                LocalDateTime.of(2024, 1, 1, 10, 0, 0, 123_456_000),
                "2024-01-01 10:00:00.123456");
        typeCase(
                columns,
                values,
                expected,
                "timestamptz",
                1184,
                ColumnType.Size.NONE,
                OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)),
                "2024-01-01 10:00:00+00");
        typeCase(columns, values, expected, "time", 1083, ColumnType.Size.NONE, LocalTime.of(23, 59, 59), "23:59:59");
        typeCase(
                columns,
                values,
                expected,
                "interval",
                1186,
                ColumnType.Size.NONE,
                new Interval(14, 3, 4_000_000),
                "P1Y2M3DT4S");
        typeCase(
                columns,
                values,
                expected,
                "uuid",
                2950,
                ColumnType.Size.NONE,
                UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        typeCase(
                columns,
                values,
                expected,
                "jsonb",
                3802,
                ColumnType.Size.NONE,
                "{\"a\": [1, \"x\"]}",
                "{\"a\":[1,\"x\"]}");
        typeCase(
                columns,
                values,
                expected,
                "bytea",
                17,
                ColumnType.Size.NONE,
                new byte[] {0, (byte) 0xff, 16},
                "00ff10");
        TableSchema types = schema(TYPES, columns);
        log.transaction(x -> List.of(new RelationEvent(types), new InsertEvent(TYPES, Row.of(values), 50)));
        try (Pipeline pipeline = start(log, "types", b -> b)) {
            Harness.awaitCaughtUp(pipeline);
            assertThat(pipeline.status().tables().values())
                    .allSatisfy(t -> assertThat(t.reason()).isNull());
        }
        List<String> read = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + id(SCHEMA) + ".types")) {
            rs.next();
            for (int i = 2; i <= columns.size(); i++) {
                String name = columns.get(i - 1).type().name();
                read.add(
                        name.equals("jsonb")
                                ? rs.getString(i).replace(" ", "")
                                : name.equals("bytea")
                                        ? rs.getString(i).replace("\\x", "").toLowerCase()
                                        : name.equals("bool")
                                                ? Boolean.toString(rs.getBoolean(i))
                                                : name.equals("timestamptz")
                                                        ? rs.getString(i).replaceAll("\\+00(:00)?$", "+00")
                                                        : rs.getString(i));
            }
        }
        assertThat(read).containsExactlyElementsOf(expected);
    }

    /** What the PostgreSQL source says the values of each type case are. */
    private static final Map<String, ValueType> VALUE_TYPES = Map.ofEntries(
            Map.entry("int2", ValueType.INT16),
            Map.entry("int4", ValueType.INT32),
            Map.entry("int8", ValueType.INT64),
            Map.entry("float4", ValueType.FLOAT32),
            Map.entry("float8", ValueType.FLOAT64),
            Map.entry("numeric", ValueType.DECIMAL),
            Map.entry("money", ValueType.DECIMAL),
            Map.entry("bool", ValueType.BOOLEAN),
            Map.entry("text", ValueType.STRING),
            Map.entry("varchar", ValueType.STRING),
            Map.entry("bpchar", ValueType.STRING),
            Map.entry("date", ValueType.DATE),
            Map.entry("time", ValueType.TIME),
            Map.entry("timetz", ValueType.OFFSET_TIME),
            Map.entry("timestamp", ValueType.DATE_TIME),
            Map.entry("timestamptz", ValueType.OFFSET_DATE_TIME),
            Map.entry("interval", ValueType.INTERVAL),
            Map.entry("uuid", ValueType.UUID),
            Map.entry("json", ValueType.JSON),
            Map.entry("jsonb", ValueType.JSON),
            Map.entry("bytea", ValueType.BYTES));

    private static void typeCase(
            List<Column> columns,
            List<Object> values,
            List<String> expected,
            String type,
            int oid,
            ColumnType.Size size,
            Object value,
            String text) {
        columns.add(new Column("c_" + type, new ColumnType(type, oid, size, VALUE_TYPES.get(type)), false, true));
        values.add(value);
        expected.add(text);
    }

    private static TableSchema schema(TableId table, List<Column> columns) {
        return new TableSchema(table, columns, TableSchema.ReplicaIdentity.DEFAULT);
    }

    private static TableSchema renamed(TableSchema source) {
        return new TableSchema(TableId.of(SCHEMA, source.table().table()), source.columns(), source.identity());
    }

    private static Pipeline start(FakeLog log, String id, UnaryOperator<io.zeroetl.PipelineBuilder> rules) {
        FakeSource source = new FakeSource(new FakeReader(log, () -> Lsn.of(Long.MAX_VALUE)));
        return rules.apply(ZeroEtl.from(source)
                        .to(target(id))
                        .tables(List.of(ORDERS, DUPS, TYPES))
                        .pipelineId(id)
                        .flushInterval(Duration.ofMillis(50)))
                .start();
    }

    private static RedshiftTarget target(String id) {
        RedshiftTarget.Builder b = RedshiftTarget.builder()
                .schema(SCHEMA)
                .stateSchema(SCHEMA + "_state")
                .lockTables(true);
        if (emulator != null) {
            return b.jdbcUrl(emulator.jdbcUrl())
                    .user(emulator.user())
                    .password(emulator.password())
                    .ssl(false)
                    .build();
        }
        return b.jdbcUrl(URL)
                .user(System.getProperty("zeroetl.redshift.user"))
                .password(System.getProperty("zeroetl.redshift.password"))
                .build();
    }

    private static Connection connect() throws SQLException {
        if (emulator != null) {
            return emulator.connect();
        }
        Properties p = new Properties();
        p.setProperty("user", System.getProperty("zeroetl.redshift.user"));
        p.setProperty("password", System.getProperty("zeroetl.redshift.password"));
        Connection c = DriverManager.getConnection(URL, p);
        try (Statement s = c.createStatement()) {
            s.execute("SET enable_case_sensitive_identifier TO true");
        }
        return c;
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static String id(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}

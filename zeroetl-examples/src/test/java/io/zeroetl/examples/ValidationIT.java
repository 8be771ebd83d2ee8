package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.Pipeline;
import io.zeroetl.RowDifference;
import io.zeroetl.TableValidation;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.ValuePolicy;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Validation compares source and target in SQL on each side and finds every differing row by key. */
class ValidationIT {
    /** Every type of the PostgreSQL type IT, one row per value; the unstorable ones are set NULL and recorded. */
    private static final String[][] TYPES = {
        {"int2", "'-32768'"},
        {"int4", "2147483647"},
        {"int8", "'-9223372036854775808'"},
        {"oid", "4294967295"},
        {"numeric", "12345678901234567890.123456789"},
        {"numeric(5,2)", "0.1"},
        {"numeric", "'NaN'"},
        {"numeric", "'Infinity'"},
        {"numeric", "'-Infinity'"},
        {"float4", "1.5"},
        {"float4", "'NaN'"},
        {"float8", "'-0'"},
        {"float8", "'Infinity'"},
        {"float8", "0.1"},
        {"float8", "1e308"},
        {"bool", "true"},
        {"text", "'héllo € 😀'"},
        {"varchar(5)", "'abc'"},
        {"char(5)", "'ab'"},
        {"name", "'nm'"},
        {"\"char\"", "'x'"},
        {"bytea", "'\\x00ff10'"},
        {"date", "'2024-02-29'"},
        {"date", "'infinity'"},
        {"date", "'-infinity'"},
        {"date", "'0044-03-15 BC'"},
        {"date", "'12345-01-01'"},
        {"time", "'23:59:59.999999'"},
        {"time", "'24:00:00'"},
        {"timetz", "'12:00:00+05:30'"},
        {"timestamp", "'2024-01-01 00:00:00.123456'"},
        {"timestamp", "'infinity'"},
        {"timestamp", "'2000-01-01 10:00:00 BC'"},
        {"timestamptz", "'2024-01-01 12:00:00+02'"},
        {"timestamptz", "'-infinity'"},
        {"interval", "'1 year 2 months 3 days 04:05:06.5'"},
        {"interval", "'-1 day -00:00:01'"},
        {"uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"},
        {"json", "'{\"a\":  1}'"},
        {"jsonb", "'{\"b\":[1,2]}'"},
        {"xml", "'<a>x</a>'"},
        {"inet", "'192.168.0.1/24'"},
        {"cidr", "'10.0.0.0/8'"},
        {"macaddr", "'08:00:2b:01:02:03'"},
        {"macaddr8", "'08:00:2b:01:02:03:04:05'"},
        {"bit(4)", "B'1010'"},
        {"varbit", "B'101'"},
        {"money", "1234.56"},
        {"pg_lsn", "'16/B374D848'"},
        {"tsvector", "'a fat cat'"},
        {"int4[]", "'{1,NULL,3}'"},
        {"text[]", "'{{\"a b\",c},{d,\"\\\"q\\\"\"}}'"},
        {"date[]", "'{2024-01-01,infinity}'"},
        {"mood", "'happy'"},
        {"posint", "5"},
        {"pair", "ROW(1, 'a b')"},
        {"int4range", "'[1,5)'"},
        {"mood[]", "'{happy,sad}'"}
    };
    /**
     * The values Redshift cannot hold: float NaN and infinity, infinite dates and timestamps (unbounded
     * numeric lands in VARCHAR, where NaN and Infinity are kept as text).
     */
    private static final int UNSTORABLE = 6;

    private final EmbeddedPostgres pg = EmbeddedPostgres.shared();
    private String db;
    private RedshiftEmulator redshift;

    @BeforeEach
    void start() {
        db = pg.createDatabase();
        redshift = RedshiftEmulator.start();
    }

    @AfterEach
    void stop() {
        assertThat(redshift.rejectedStatements())
                .as("every statement is valid Redshift")
                .isEmpty();
        redshift.close();
        pg.dropDatabase(db);
    }

    @Test
    void everyTypeValidatesCleanAndValuesConvertedByPolicyAreRecognised() throws Exception {
        List<String> columns = new ArrayList<>();
        List<String> inserts = new ArrayList<>();
        for (int i = 0; i < TYPES.length; i++) {
            columns.add("c" + i + " " + TYPES[i][0]);
            inserts.add(
                    "INSERT INTO types (id, c" + i + ") VALUES (" + i + ", " + TYPES[i][1] + "::" + TYPES[i][0] + ")");
        }
        sql(
                "CREATE TYPE mood AS ENUM ('happy', 'sad')",
                "CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)",
                "CREATE TYPE pair AS (x int, y text)",
                "CREATE TABLE types (id INT PRIMARY KEY, " + String.join(", ", columns) + ")",
                "INSERT INTO types (id) VALUES (-1)");
        sql(inserts.toArray(String[]::new));
        PostgresSource source = source();
        RedshiftTarget target = target().valuePolicy(ValuePolicy.SET_NULL).build();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.types")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            TableValidation types = pipeline.validate().table("public.types");

            assertThat(types.differences()).as(types.toString()).isEmpty();
            assertThat(types.outcome()).isEqualTo(TableValidation.Outcome.CLEAN);
            assertThat(types.sourceRows()).isEqualTo(TYPES.length + 1).isEqualTo(types.targetRows());
            assertThat(types.converted())
                    .as("rows whose only difference is a recorded conversion")
                    .isEqualTo(UNSTORABLE);
            assertThat(types.uncomparedColumns()).isEmpty();
        } finally {
            retire(source);
        }
    }

    /**
     * The values a user found falsely reported different (an inet host address in a table with NOT NULL
     * columns, oid[], hstore[] with quoted keys and NULL values) and json[] / jsonb[], which landed as strings:
     * each validates clean, copied and streamed, and the arrays of documents land as documents.
     */
    @Test
    void theValuesOnceReportedDifferentValidateCleanAndJsonArraysHoldDocuments() throws Exception {
        sql(
                "CREATE EXTENSION IF NOT EXISTS hstore",
                "CREATE TABLE edge (id int PRIMARY KEY, name text NOT NULL, addr inet NOT NULL, oids oid[],"
                        + " maps hstore[], docs json[], bdocs jsonb[])",
                "INSERT INTO edge VALUES (1, 'a', '10.0.0.1', '{3,4000000000}',"
                        + " '{\"\\\"key4\\\"=>\\\"val4\\\", \\\"key5\\\"=>NULL\",\"\\\"key6\\\"=>\\\"val6\\\"\"}',"
                        + " ARRAY['{\"bar\": \"baz\"}']::json[], ARRAY['{\"a\": [1, {\"b\": null}]}']::jsonb[])");
        PostgresSource source = source();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target().build())
                .tables("public.edge")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            sql("INSERT INTO edge SELECT 2, name, '10.0.0.2', oids, maps, docs, bdocs FROM edge WHERE id = 1");
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            TableValidation edge = pipeline.validate().table("public.edge");
            assertThat(edge.outcome()).as(edge.toString()).isEqualTo(TableValidation.Outcome.CLEAN);
        } finally {
            retire(source);
        }
        List<String> docs = new ArrayList<>();
        try (Connection c = redshift.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT JSON_SERIALIZE(docs) || ' ' || JSON_SERIALIZE(bdocs) || ' ' || addr FROM public.edge ORDER BY id")) {
            while (rs.next()) {
                docs.add(rs.getString(1));
            }
        }
        assertThat(docs)
                .containsExactly(
                        "[{\"bar\":\"baz\"}] [{\"a\":[1,{\"b\":null}]}] 10.0.0.1",
                        "[{\"bar\":\"baz\"}] [{\"a\":[1,{\"b\":null}]}] 10.0.0.2");
    }

    @Test
    void aDeletedAChangedAndAnExtraTargetRowAreEachReportedByKeyAndColumn() throws Exception {
        createOrders(500);
        PostgresSource source = source();
        RedshiftTarget target = target().build();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.orders")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(pipeline.validate().clean()).isTrue();

            redshiftSql(
                    "DELETE FROM public.orders WHERE order_id = 5",
                    "UPDATE public.orders SET total_amount = total_amount + 1 WHERE order_id = 7",
                    "INSERT INTO public.orders (order_id, customer_name, total_amount) VALUES (999, 'Mallory', 1.00)");
            ValidationReport report =
                    ZeroEtl.validate(source, target).tables("public.orders").run();

            TableValidation orders = report.table("public.orders");
            assertThat(report.clean()).isFalse();
            assertThat(orders.outcome()).isEqualTo(TableValidation.Outcome.MISMATCH);
            assertThat(orders.sourceRows()).isEqualTo(500);
            assertThat(orders.targetRows()).isEqualTo(500);
            assertThat(orders.sourceChecksum()).isNotEqualTo(orders.targetChecksum());
            assertThat(orders.differences())
                    .containsExactlyInAnyOrder(
                            new RowDifference(Map.of("order_id", "5"), RowDifference.Kind.MISSING_IN_TARGET, List.of()),
                            new RowDifference(
                                    Map.of("order_id", "7"), RowDifference.Kind.DIFFERENT, List.of("total_amount")),
                            new RowDifference(
                                    Map.of("order_id", "999"), RowDifference.Kind.EXTRA_IN_TARGET, List.of()));
        } finally {
            retire(source);
        }
    }

    @Test
    void validatingDuringOngoingWritesGivesNoFalseMismatch() throws Exception {
        createOrders(2_000);
        PostgresSource source = source();
        RedshiftTarget target = target().build();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger writes = new AtomicInteger();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.orders")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            Thread writer = new Thread(() -> write(writing, writes));
            writer.start();
            try {
                for (int round = 0; round < 3; round++) {
                    ValidationReport report = pipeline.validate();
                    assertThat(report.clean()).as(report.toString()).isTrue();
                }
                redshiftSql("INSERT INTO public.orders (order_id, customer_name) VALUES (999999, 'Mallory')");
                assertThat(pipeline.validate().table("public.orders").differences())
                        .as("a real difference is still found while writes go on")
                        .containsExactly(new RowDifference(
                                Map.of("order_id", "999999"), RowDifference.Kind.EXTRA_IN_TARGET, List.of()));
                redshiftSql("DELETE FROM public.orders WHERE order_id = 999999");
            } finally {
                writing.set(false);
                writer.join();
            }
            assertThat(writes.get()).as("the writer was busy while validating").isGreaterThan(50);
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            TableValidation settled = pipeline.validate().table("public.orders");
            assertThat(settled.outcome()).isEqualTo(TableValidation.Outcome.CLEAN);
            assertThat(settled.sourceChecksum()).isEqualTo(settled.targetChecksum());
            assertThat(settled.sourceRows()).isEqualTo(settled.targetRows());
        } finally {
            retire(source);
        }
    }

    /**
     * Both sides are compared at one position, so a stopped pipeline can never be validated: rather than waiting
     * out the timeout (5 min by default), validation sees that nothing reads the source for the pipeline and
     * fails within seconds, saying to validate while it runs.
     */
    @Test
    void validatingWhileThePipelineIsStoppedFailsAtOnceSayingSo() throws Exception {
        createOrders(10);
        PostgresSource source = source();
        RedshiftTarget target = target().build();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.orders")
                .pipelineId("stopped")
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }
        sql("INSERT INTO orders (customer_name, total_amount) VALUES ('Late', 1.00)");
        try {
            assertThatThrownBy(() -> ZeroEtl.validate(source, target)
                            .tables("public.orders")
                            .pipelineId("stopped")
                            .run())
                    .isInstanceOfSatisfying(
                            ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_STATE))
                    .hasMessageContaining("Pipeline stopped is not running")
                    .hasMessageContaining("validate while it runs");
        } finally {
            retire(source, "stopped");
        }
    }

    /** A pipeline id the target never saw (the default, when none was given) fails at once, listing the known ones. */
    @Test
    void validatingAPipelineTheTargetNeverSawFailsAtOnceListingThoseItKnows() throws Exception {
        createOrders(3);
        PostgresSource source = source();
        RedshiftTarget target = target().build();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.orders")
                .pipelineId("orders_sync")
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThatThrownBy(() -> ZeroEtl.validate(source, target)
                            .tables("public.orders")
                            .run())
                    .isInstanceOfSatisfying(
                            ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                    .hasMessageContaining("no position for pipeline zeroetl")
                    .hasMessageContaining("Pipelines the target knows: orders_sync");
        } finally {
            retire(source, "orders_sync");
        }
    }

    private void write(AtomicBoolean writing, AtomicInteger writes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            while (writing.get()) {
                int id = 1 + random.nextInt(2_000);
                switch (random.nextInt(10)) {
                    case 0, 1, 2, 3 ->
                        s.execute("INSERT INTO orders (customer_name, total_amount) VALUES ('w', "
                                + random.nextInt(1000) + ")");
                    case 4 -> s.execute("DELETE FROM orders WHERE order_id = " + id);
                    default ->
                        s.execute("UPDATE orders SET total_amount = total_amount + 1, customer_name = 'u"
                                + random.nextInt(100) + "' WHERE order_id IN (" + id + ", 1)");
                }
                writes.incrementAndGet();
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void createOrders(int rows) throws SQLException {
        sql(
                "CREATE TABLE orders (order_id SERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                        + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2))",
                "INSERT INTO orders (customer_name, total_amount) SELECT 'c' || g, g / 7.0 FROM generate_series(1, "
                        + rows + ") g");
    }

    private PostgresSource source() {
        return PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .build();
    }

    private RedshiftTarget.Builder target() {
        return RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false);
    }

    private static void retire(PostgresSource source) {
        retire(source, "zeroetl");
    }

    private static void retire(PostgresSource source, String pipelineId) {
        source.retire(pipelineId);
        source.close();
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private void redshiftSql(String... statements) throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}

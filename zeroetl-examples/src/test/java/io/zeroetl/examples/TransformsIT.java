package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.DeleteMode;
import io.zeroetl.ErrorCode;
import io.zeroetl.Naming;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineBuilder;
import io.zeroetl.TableValidation;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.change.ValueType;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.Distribution;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.ValuePolicy;
import io.zeroetl.spi.Transform;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RecordedStatement;
import io.zeroetl.testing.RedshiftEmulator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's orders shaped on the way: tables, columns, rows, computed columns, delete modes, transforms. */
class TransformsIT {
    private final EmbeddedPostgres pg = EmbeddedPostgres.shared();
    private String db;
    private RedshiftEmulator redshift;
    private PostgresSource source;

    @BeforeEach
    void start() throws SQLException {
        db = pg.createDatabase();
        redshift = RedshiftEmulator.start();
        sql(
                "CREATE TABLE orders (order_id SERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                        + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2), email TEXT, note TEXT)",
                "INSERT INTO orders (customer_name, order_date, total_amount, email, note) VALUES"
                        + " ('Alice', '2024-03-01 23:30:00', 99.90, 'alice@example.com', 'vip'),"
                        + " ('Bob', '2024-03-02 08:00:00', 150.00, 'bob@example.com', 'new')");
        source = PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .build();
    }

    @AfterEach
    void stop() {
        assertThat(redshift.rejectedStatements())
                .as("every statement is valid Redshift")
                .isEmpty();
        source.retire("zeroetl");
        source.close();
        redshift.close();
        pg.dropDatabase(db);
    }

    @Test
    void factOrdersLandsWithOrderDateAsADate() throws Exception {
        ValidationReport report = run(
                b -> b.table("public.orders", t -> t.targetName("fact_orders").toDate("order_date")),
                () -> sql("INSERT INTO orders (customer_name, order_date, total_amount)"
                        + " VALUES ('Carol', '2024-03-03 00:00:01', 42)"));
        assertThat(report.clean()).as(report.toString()).isTrue();
        assertThat(report.table("public.orders").uncomparedColumns())
                .as("converted")
                .containsExactly("order_date");
        assertThat(column("SELECT data_type FROM information_schema.columns WHERE table_name = 'fact_orders'"
                        + " AND column_name = 'order_date'"))
                .containsExactly("date");
        assertThat(column("SELECT order_id || ' ' || customer_name || ' ' || order_date FROM public.fact_orders"
                        + " ORDER BY order_id"))
                .containsExactly("1 Alice 2024-03-01", "2 Bob 2024-03-02", "3 Carol 2024-03-03");
        assertThat(column("SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders'"))
                .as("only fact_orders is written")
                .containsExactly("0");
    }

    /**
     * Per-table target settings are given by source table; a table given a target name keeps them (they were
     * once looked up by the target name and silently lost).
     */
    @Test
    void aTableGivenATargetNameKeepsItsValuePolicyAndDistribution() throws Exception {
        sql("UPDATE orders SET total_amount = 'NaN' WHERE order_id = 2");
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .valuePolicy("public.orders", ValuePolicy.SET_NULL)
                .distribution("public.orders", Distribution.ALL)
                .build();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .table("public.orders", t -> t.targetName("fact_orders"))
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            sql("INSERT INTO orders (customer_name, total_amount) VALUES ('Carol', 'NaN')");
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(pipeline.status().tables().values())
                    .allSatisfy(t -> assertThat(t.reason()).isNull());
        }
        assertThat(column("SELECT order_id || ' ' || coalesce(total_amount::varchar, 'null') FROM public.fact_orders"
                        + " ORDER BY order_id"))
                .containsExactly("1 99.90", "2 null", "3 null");
        assertThat(redshift.statements())
                .map(RecordedStatement::sql)
                .anySatisfy(s -> assertThat(s)
                        .startsWith("CREATE TABLE \"public\".\"fact_orders\"")
                        .contains("DISTSTYLE ALL"));
    }

    @Test
    void columnsAreSelectedMaskedHashedRenamedComputedAndTheTableMovedAndRenamedByPolicy() throws Exception {
        ValidationReport report = run(
                b -> b.naming(Naming.lowerCase().tablePrefix("src_"))
                        .table(
                                "public.orders",
                                t -> t.targetSchema("analytics")
                                        .excludeColumns("note", "order_date")
                                        .mask("customer_name")
                                        .hash("email")
                                        .renameColumn("total_amount", "amount")
                                        .compute(
                                                "amount_cents",
                                                ValueType.INT64,
                                                r -> r.get("total_amount") == null
                                                        ? null
                                                        : ((BigDecimal) r.get("total_amount"))
                                                                .movePointRight(2)
                                                                .longValueExact())
                                        .metadataColumns()),
                () -> sql("UPDATE orders SET total_amount = 100.01 WHERE order_id = 1"));
        assertThat(column("SELECT column_name FROM information_schema.columns WHERE table_schema = 'analytics'"
                        + " AND table_name = 'src_orders' ORDER BY ordinal_position"))
                .containsExactly(
                        "order_id",
                        "customer_name",
                        "amount",
                        "email",
                        "amount_cents",
                        "_zeroetl_synced_at",
                        "_zeroetl_lsn");
        assertThat(column("SELECT order_id || ' ' || customer_name || ' ' || amount || ' ' || amount_cents || ' '"
                        + " || left(email, 12) FROM analytics.src_orders ORDER BY order_id"))
                .containsExactly(
                        "1 ***** 100.01 10001 " + sha256("alice@example.com").substring(0, 12),
                        "2 *** 150.00 15000 " + sha256("bob@example.com").substring(0, 12));
        assertThat(column("SELECT count(*) FROM analytics.src_orders WHERE _zeroetl_lsn > 0 AND _zeroetl_synced_at"
                        + " IS NOT NULL"))
                .containsExactly("2");
        assertThat(report.clean())
                .as("renamed columns and table followed: " + report)
                .isTrue();
        assertThat(report.table("public.orders").uncomparedColumns())
                .containsExactlyInAnyOrder("customer_name", "order_date", "email", "note");
    }

    @Test
    void anUpdateMovingARowIntoTheFilterInsertsItAndOutOfItDeletesIt() throws Exception {
        ValidationReport report = run(
                b -> b.table("public.orders", t -> t.filter("total_amount > 100 AND customer_name NOT LIKE 'test%'")),
                () -> {
                    assertThat(ids()).as("only Bob passes at first").containsExactly("2");
                    sql(
                            "UPDATE orders SET total_amount = 200 WHERE order_id = 1",
                            "UPDATE orders SET total_amount = 10 WHERE order_id = 2",
                            "INSERT INTO orders (customer_name, total_amount) VALUES ('test-user', 500), ('Dan', 101)");
                });
        assertThat(ids())
                .as("Alice moved in, Bob moved out, the test user filtered")
                .containsExactly("1", "4");
        assertThat(column("SELECT total_amount FROM public.orders WHERE order_id = 1"))
                .containsExactly("200.00");
        assertThat(report.table("public.orders").outcome())
                .as("a filtered table is not claimed equal")
                .isEqualTo(TableValidation.Outcome.NOT_COMPARED);
    }

    @Test
    void aJavaPredicateFiltersRowsToo() throws Exception {
        run(
                b -> b.table("public.orders", t -> t.filter(r -> ((String) r.get("customer_name")).startsWith("B"))),
                () -> sql("INSERT INTO orders (customer_name) VALUES ('Bea'), ('Cy')"));
        assertThat(ids()).containsExactly("2", "3");
    }

    @Test
    void softDeleteKeepsTheRowMarkedWithItsValues() throws Exception {
        String rows =
                "SELECT order_id || ' ' || customer_name || ' ' || coalesce(total_amount, 0) || ' ' || _zeroetl_deleted"
                        + " || ' ' || (_zeroetl_deleted_at IS NOT NULL) FROM public.orders ORDER BY order_id";
        run(b -> b.table("public.orders", t -> t.deleteMode(DeleteMode.SOFT)), () -> {
            sql("DELETE FROM orders WHERE order_id = 1", "INSERT INTO orders (customer_name) VALUES ('Cy')");
            awaitCount("SELECT count(*) FROM public.orders", 3);
            assertThat(column(rows))
                    .as("the deleted row stays, marked, with its values")
                    .containsExactly("1 Alice 99.90 true true", "2 Bob 150.00 false false", "3 Cy 0 false false");
            sql("TRUNCATE orders");
        });
        assertThat(column(rows))
                .as("TRUNCATE marks every row deleted")
                .containsExactly("1 Alice 99.90 true true", "2 Bob 150.00 true true", "3 Cy 0 true true");
    }

    @Test
    void historyModeKeepsEveryVersionAndTruncateClosesAll() throws Exception {
        String versions = "SELECT order_id || ' ' || total_amount || ' ' || _record_is_active || ' '"
                + " || (_record_delete_time IS NULL) FROM public.orders ORDER BY order_id, _record_create_time, total_amount";
        run(b -> b.table("public.orders", t -> t.deleteMode(DeleteMode.HISTORY)), () -> {
            sql(
                    "UPDATE orders SET total_amount = 1 WHERE order_id = 1",
                    "BEGIN; UPDATE orders SET total_amount = 2 WHERE order_id = 1;"
                            + " UPDATE orders SET total_amount = 3 WHERE order_id = 1; COMMIT",
                    "DELETE FROM orders WHERE order_id = 2");
            // the DELETE adds no version, so a count of versions cannot tell it arrived; one active version can
            awaitCount("SELECT count(*) FROM public.orders WHERE _record_is_active", 1);
            assertThat(column(versions))
                    .as("one version per change, the last one active")
                    .containsExactly(
                            "1 99.90 false false",
                            "1 1.00 false false",
                            "1 2.00 false false",
                            "1 3.00 true true",
                            "2 150.00 false false");
            sql("TRUNCATE orders");
        });
        assertThat(column(versions))
                .as("TRUNCATE closes every version and keeps the history")
                .containsExactly(
                        "1 99.90 false false",
                        "1 1.00 false false",
                        "1 2.00 false false",
                        "1 3.00 false false",
                        "2 150.00 false false");
    }

    @Test
    void tablePatternsIncludeAndExclude() throws Exception {
        sql(
                "CREATE TABLE order_items (id INT PRIMARY KEY, order_id INT)",
                "INSERT INTO order_items VALUES (1, 1)",
                "CREATE TABLE orders_audit (id INT PRIMARY KEY)",
                "INSERT INTO orders_audit VALUES (1)",
                "CREATE TABLE customers (id INT PRIMARY KEY)");
        run(b -> b.include("public.order*", "/public\\.custom.rs/").exclude("*_audit"), () -> {});
        assertThat(column("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                        + " AND table_name NOT LIKE 'zeroetl%' ORDER BY 1"))
                .containsExactly("customers", "order_items", "orders");
    }

    @Test
    void aHostTransformRunsAfterTheBuiltInRules() throws Exception {
        Transform upper = new Transform() {
            @Override
            public List<RowChange> apply(RowChange change, TableSchema schema) {
                int name = schema.position("customer").orElseThrow();
                UnaryOperator<Row> shout = row -> {
                    List<Object> values = new ArrayList<>(row.values());
                    values.set(name, ((String) values.get(name)).toUpperCase(Locale.ROOT));
                    return Row.of(values);
                };
                if (change instanceof InsertEvent i) {
                    return List.of(new InsertEvent(i.table(), shout.apply(i.row()), i.estimatedBytes()));
                }
                if (change instanceof UpdateEvent u) {
                    return List.of(new UpdateEvent(
                            u.table(), u.oldRow(), u.oldIsKeyOnly(), shout.apply(u.newRow()), u.estimatedBytes()));
                }
                return List.of(change);
            }
        };
        run(
                b -> b.table("public.orders", t -> t.renameColumn("customer_name", "customer"))
                        .transform(upper),
                () -> sql("INSERT INTO orders (customer_name) VALUES ('Cy')"));
        assertThat(column("SELECT customer FROM public.orders ORDER BY order_id"))
                .containsExactly("ALICE", "BOB", "CY");
    }

    @Test
    void rulesAreCheckedAtStartAgainstTheSourceColumns() {
        RedshiftTarget target = target();
        assertThatThrownBy(() -> ZeroEtl.from(source)
                        .to(target)
                        .table("public.orders", t -> t.mask("emial"))
                        .start())
                .isInstanceOfSatisfying(
                        ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("no column emial in public.orders")
                .hasMessageContaining("email");
        assertThatThrownBy(() -> ZeroEtl.from(source)
                        .to(target)
                        .table("public.orders", t -> t.filter("total_amount > 'x'"))
                        .start())
                .hasMessageContaining("cannot compare number with string");
        assertThatThrownBy(() -> ZeroEtl.from(source)
                        .to(target)
                        .table("public.nope", t -> t.targetName("x"))
                        .start())
                .hasMessageContaining("public.nope has rules but does not exist in the source");
        assertThatThrownBy(() -> ZeroEtl.from(source)
                        .to(target)
                        .table("public.orders", t -> t.excludeColumns("order_id"))
                        .start())
                .hasMessageContaining("key column order_id of public.orders cannot be left out");
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs a pipeline through {@code step}; returns its validation at the end. */
    private ValidationReport run(UnaryOperator<PipelineBuilder> options, Step step) throws Exception {
        try (Pipeline pipeline = options.apply(ZeroEtl.from(source).to(target()).flushInterval(Duration.ofMillis(100)))
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            step.run();
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(pipeline.status().tables().values())
                    .allSatisfy(t -> assertThat(t.reason()).isNull());
            return pipeline.validate();
        }
    }

    private RedshiftTarget target() {
        return RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .build();
    }

    private List<String> ids() throws SQLException {
        return column("SELECT order_id FROM public.orders ORDER BY order_id");
    }

    private void awaitCount(String sql, long expected) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!column(sql).equals(List.of(Long.toString(expected)))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sql + " did not reach " + expected);
            }
            Thread.sleep(100);
        }
    }

    private List<String> column(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

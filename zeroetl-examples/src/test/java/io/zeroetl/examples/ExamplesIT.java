package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.EmbeddedPostgresExtension;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.RedshiftEmulatorExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples, run. The class itself is the "zeroetl in a host application's tests" example: start both
 * servers with the extensions, start a pipeline, write to the source, wait until caught up, assert on
 * the target.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class ExamplesIT {
    @RegisterExtension
    static RedshiftEmulatorExtension redshift = new RedshiftEmulatorExtension();

    @Test
    void hostApplicationTestReplicatesAndAssertsOnTheTarget(EmbeddedPostgres pg) throws Exception {
        String db = pg.createDatabase();
        sql(pg, db, "CREATE TABLE orders (id INT PRIMARY KEY, price NUMERIC(10,3))");
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .build();
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(redshift.emulator().jdbcUrl())
                .user(redshift.emulator().user())
                .password(redshift.emulator().password())
                .ssl(false)
                .schema("host")
                .typeMapper(CustomTypeMapperExample.PRICES_IN_CENTS)
                .build();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.orders")
                .pipelineId("host")
                .start()) {
            sql(pg, db, "INSERT INTO orders VALUES (1, 9.995), (2, 10.004)");

            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

            assertThat(target(redshift.emulator(), "SELECT id || ':' || price FROM host.orders ORDER BY id"))
                    .as("the custom type mapper rounded prices to cents")
                    .containsExactly("1:10.00", "2:10.00");
        } finally {
            source.retire("host");
            source.close();
            pg.dropDatabase(db);
        }
    }

    @Test
    void factOrdersAreShapedOnTheWay(EmbeddedPostgres pg) throws Exception {
        String db = pg.createDatabase();
        sql(
                pg,
                db,
                "CREATE TABLE orders (order_id SERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                        + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2))",
                "INSERT INTO orders (customer_name, order_date, total_amount) VALUES ('Alice', '2024-05-01 10:00', 99.90),"
                        + " ('test-bot', '2024-05-01 11:00', 5), ('Bob', '2024-05-02 09:30', 250)");
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .build();
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(redshift.emulator().jdbcUrl())
                .user(redshift.emulator().user())
                .password(redshift.emulator().password())
                .ssl(false)
                .build();
        try (Pipeline facts = FactOrdersExample.start(source, target)) {
            sql(pg, db, "UPDATE orders SET total_amount = 120 WHERE customer_name = 'Alice'");
            assertThat(facts.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

            assertThat(
                            target(
                                    redshift.emulator(),
                                    "SELECT order_id || ' ' || order_date || ' ' || amount_band || ' '"
                                            + " || _record_is_active FROM public.fact_orders ORDER BY order_id, _record_create_time"))
                    .as("dates, bands, no test orders, Alice's two versions")
                    .containsExactly(
                            "1 2024-05-01 under 100 false", "1 2024-05-01 100+ true", "3 2024-05-02 200+ true");
        } finally {
            source.retire("facts");
            source.close();
            pg.dropDatabase(db);
        }
    }

    @Test
    void embeddedApplicationStopsCleanlyOnSigterm(EmbeddedPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase();
        Path log = dir.resolve("app.log");
        sql(pg, db, "CREATE TABLE orders (id INT PRIMARY KEY)", "INSERT INTO orders VALUES (1)");
        RedshiftEmulator rs = redshift.emulator();
        Process app = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        EmbeddedApp.class.getName(),
                        pg.jdbcUrl(db),
                        pg.user(),
                        pg.password(),
                        rs.jdbcUrl(),
                        rs.user(),
                        rs.password(),
                        "public.orders")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (target(
                            rs,
                            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders'"
                                    + " AND table_schema = 'public'")
                    .equals(List.of("0"))) {
                assertThat(System.nanoTime()).as("the app replicates").isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(100);
            }

            app.destroy();
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);

            assertThat(output).contains("stopped cleanly: STOPPED");
            assertThat(output)
                    .as("the app's Micrometer registry holds the pipeline's meters")
                    .contains("metric zeroetl.copy.rows[tag(pipeline=app), tag(table=public.orders)]")
                    .contains("metric zeroetl.lag.bytes[tag(pipeline=app)]");
            assertThat(target(rs, "SELECT id FROM public.orders")).containsExactly("1");
        } finally {
            app.destroyForcibly();
            pg.dropDatabase(db);
        }
    }

    private static List<String> target(RedshiftEmulator rs, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = rs.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    private static void sql(EmbeddedPostgres pg, String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}

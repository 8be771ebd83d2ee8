package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed: orders in PostgreSQL, replicated into Redshift within seconds, following ADD COLUMN. */
class SeedScenarioIT {
    @Test
    void ordersReplicateAndFollowAddColumn() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (RedshiftEmulator redshift = RedshiftEmulator.start()) {
            sql(
                    pg,
                    db,
                    "CREATE TABLE orders (order_id SERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                            + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2))",
                    "INSERT INTO orders (customer_name, total_amount) VALUES ('Alice', 99.90), ('Bob', 15.00)");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .build();
            RedshiftTarget target = RedshiftTarget.builder()
                    .jdbcUrl(redshift.jdbcUrl())
                    .user(redshift.user())
                    .password(redshift.password())
                    .ssl(false)
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(target)
                    .tables("public.orders")
                    .flushInterval(Duration.ofMillis(200))
                    .start()) {
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
                assertThat(target(redshift)).containsExactly("1|Alice|99.90|null", "2|Bob|15.00|null");

                sql(
                        pg,
                        db,
                        "INSERT INTO orders (customer_name, total_amount) VALUES ('Carol', 42.00)",
                        "UPDATE orders SET total_amount = 100.00 WHERE customer_name = 'Alice'",
                        "DELETE FROM orders WHERE customer_name = 'Bob'",
                        "ALTER TABLE orders ADD COLUMN quantity INT",
                        "INSERT INTO orders (customer_name, total_amount, quantity) VALUES ('Dave', 7.50, 3)");
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(target(redshift))
                        .containsExactly("1|Alice|100.00|null", "3|Carol|42.00|null", "4|Dave|7.50|3");

                sql(
                        pg,
                        db,
                        "ALTER TABLE orders RENAME COLUMN quantity TO items",
                        "INSERT INTO orders (customer_name, total_amount, items) VALUES ('Erin', 1.00, 9)");
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(column(redshift, "SELECT items FROM public.orders ORDER BY order_id"))
                        .as("the renamed column keeps its values")
                        .containsExactly(null, null, "3", "9");

                sql(
                        pg,
                        db,
                        "BEGIN; INSERT INTO orders (customer_name, items) VALUES ('Finn', 1);"
                                + " ALTER TABLE orders ADD COLUMN channel VARCHAR(10);"
                                + " INSERT INTO orders (customer_name, items, channel) VALUES ('Gus', 2, 'web');"
                                + " ALTER TABLE orders ALTER COLUMN channel TYPE VARCHAR(40);"
                                + " INSERT INTO orders (customer_name, channel) VALUES ('Hal', repeat('w', 40)); COMMIT");
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(column(
                                redshift,
                                "SELECT customer_name || ':' || coalesce(channel, '-') FROM public.orders"
                                        + " WHERE order_id > 5 ORDER BY order_id"))
                        .as("DDL and DML interleaved in one transaction, VARCHAR widened")
                        .containsExactly("Finn:-", "Gus:web", "Hal:" + "w".repeat(40));

                // no row change follows this DDL, so PostgreSQL sends no new description of the table
                sql(
                        pg,
                        db,
                        "INSERT INTO orders (customer_name) VALUES ('Ida')",
                        "ALTER TABLE orders ADD COLUMN region VARCHAR(8), DROP COLUMN channel");
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(column(
                                redshift,
                                "SELECT column_name FROM information_schema.columns WHERE table_schema"
                                        + " = 'public' AND table_name = 'orders' ORDER BY ordinal_position"))
                        .as("a column added and one dropped by the last statement are followed without a later row")
                        .containsExactly("order_id", "customer_name", "order_date", "total_amount", "items", "region");
            }
            source.retire("zeroetl");
            source.close();
            assertThat(redshift.rejectedStatements()).isEmpty();
        } finally {
            pg.dropDatabase(db);
        }
    }

    private static List<String> target(RedshiftEmulator redshift) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM public.orders ORDER BY order_id")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String quantity = columns > 4 ? rs.getString(5) : null;
                rows.add(rs.getInt("order_id") + "|" + rs.getString("customer_name") + "|"
                        + rs.getBigDecimal("total_amount") + "|" + quantity);
            }
        }
        return rows;
    }

    private static List<String> column(RedshiftEmulator redshift, String query) throws SQLException {
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

    private static void sql(EmbeddedPostgres pg, String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}

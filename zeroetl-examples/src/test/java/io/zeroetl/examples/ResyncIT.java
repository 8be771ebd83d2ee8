package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A FAILED table, its cause fixed, is copied again online while writes go on; both tables end exact. */
class ResyncIT {
    private static final TableId ORDERS = TableId.of("public", "orders");

    @Test
    void failedTableIsResyncedOnlineWhileTheOthersKeepStreaming() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (RedshiftEmulator redshift = RedshiftEmulator.start()) {
            sql(
                    pg,
                    db,
                    "CREATE TABLE orders (id INT PRIMARY KEY, amount FLOAT8)",
                    "CREATE TABLE customers (id INT PRIMARY KEY, name TEXT)",
                    "INSERT INTO orders SELECT g, g FROM generate_series(1, 500) g",
                    "INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 100) g");
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
                    .tables("public.orders", "public.customers")
                    .pipelineId("resync")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                sql(pg, db, "UPDATE orders SET amount = 'NaN' WHERE id = 7", "INSERT INTO customers VALUES (101, 'x')");
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(pipeline.status().table(ORDERS).orElseThrow().state())
                        .isEqualTo(TableState.FAILED);

                sql(
                        pg,
                        db,
                        "UPDATE orders SET amount = 7 WHERE id = 7",
                        "DELETE FROM orders WHERE id = 8",
                        "INSERT INTO orders VALUES (501, 501)");
                AtomicBoolean writing = new AtomicBoolean(true);
                Thread writer = new Thread(() -> write(pg, db, writing));
                writer.start();
                pipeline.resync("public.orders");
                awaitState(pipeline, TableState.SYNCED);
                writing.set(false);
                writer.join();
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

                assertThat(rows(redshift, "orders")).isEqualTo(rows(pg, db, "orders"));
                assertThat(rows(redshift, "customers")).isEqualTo(rows(pg, db, "customers"));
            }
            try (Connection c = redshift.connect();
                    Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery("SELECT count(*) FROM zeroetl.zeroetl_table_state WHERE state = 'FAILED'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("no FAILED record left").isZero();
            }
            assertThat(redshift.rejectedStatements()).isEmpty();
            source.retire("resync");
            source.close();
        } finally {
            pg.dropDatabase(db);
        }
    }

    private static void write(EmbeddedPostgres pg, String db, AtomicBoolean writing) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            int next = 1000;
            while (writing.get()) {
                s.execute("UPDATE orders SET amount = amount + 1 WHERE id = " + random.nextInt(1, 500));
                s.execute("INSERT INTO orders VALUES (" + next + ", " + next + ")");
                s.execute("INSERT INTO customers VALUES (" + next++ + ", 'w')");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitState(Pipeline pipeline, TableState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pipeline.status().table(ORDERS).orElseThrow().state() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("orders never became " + state + ": " + pipeline.status());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static List<String> rows(RedshiftEmulator redshift, String table) throws SQLException {
        try (Connection c = redshift.connect()) {
            return rows(c, table);
        }
    }

    private static List<String> rows(EmbeddedPostgres pg, String db, String table) throws SQLException {
        try (Connection c = pg.connect(db)) {
            return rows(c, table);
        }
    }

    private static List<String> rows(Connection c, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM public." + table + " ORDER BY 1")) {
            while (rs.next()) {
                rows.add(rs.getObject(1) + "|" + rs.getObject(2));
            }
        }
        return rows;
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

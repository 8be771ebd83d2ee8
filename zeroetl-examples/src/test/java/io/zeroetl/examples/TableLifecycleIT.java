package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.DroppedTables;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tables created, dropped and created again at the source while the pipeline runs (with DDL capture). */
class TableLifecycleIT {
    private final EmbeddedPostgres pg = EmbeddedPostgres.shared();
    private String db;
    private RedshiftEmulator redshift;
    private PostgresSource source;

    @BeforeEach
    void start() throws SQLException {
        db = pg.createDatabase();
        redshift = RedshiftEmulator.start();
        sql(
                "CREATE TABLE t_a (id INT PRIMARY KEY, v TEXT)",
                "INSERT INTO t_a VALUES (1, 'a1')",
                "CREATE TABLE other (id INT PRIMARY KEY)");
        source = PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .build();
    }

    @AfterEach
    void stop() {
        assertThat(redshift.rejectedStatements()).isEmpty();
        source.retire("zeroetl");
        source.close();
        redshift.close();
        pg.dropDatabase(db);
    }

    @Test
    void aTableCreatedLaterThatMatchesIsCopiedAndStreamsAndADroppedOneComesBackWhenCreatedAgain() throws Exception {
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target(DroppedTables.KEEP))
                .include("public.t_*")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            sql(
                    "CREATE TABLE t_b (id INT PRIMARY KEY, v TEXT)",
                    "INSERT INTO t_b VALUES (1, 'b1'), (2, 'b2')",
                    "CREATE TABLE unrelated (id INT PRIMARY KEY)",
                    "INSERT INTO unrelated VALUES (1)");
            awaitState(pipeline, "public.t_b", TableState.SYNCED);
            sql("INSERT INTO t_b VALUES (3, 'b3')", "UPDATE t_b SET v = 'b1!' WHERE id = 1");
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(column("SELECT id || v FROM public.t_b ORDER BY id"))
                    .as("copied, then streamed")
                    .containsExactly("1b1!", "2b2", "3b3");
            assertThat(column("SELECT count(*) FROM information_schema.tables WHERE table_name = 'unrelated'"))
                    .as("not selected")
                    .containsExactly("0");

            sql("DROP TABLE t_a");
            awaitState(pipeline, "public.t_a", TableState.DROPPED);
            assertThat(column("SELECT id || v FROM public.t_a"))
                    .as("kept by default")
                    .containsExactly("1a1");
            assertThat(column("SELECT state FROM zeroetl.zeroetl_table_state WHERE table_name = '\"public\".\"t_a\"'"))
                    .containsExactly("DROPPED");

            sql("CREATE TABLE t_a (id INT PRIMARY KEY, w INT)", "INSERT INTO t_a VALUES (7, 70)");
            awaitState(pipeline, "public.t_a", TableState.SYNCED);
            sql("INSERT INTO t_a VALUES (8, 80)");
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(column("SELECT id || ':' || w FROM public.t_a ORDER BY id"))
                    .as("the new table's rows only")
                    .containsExactly("7:70", "8:80");
            assertThat(pipeline.validate().clean()).isTrue();
        }
    }

    @Test
    void theDropPolicyDropsTheTargetTable() throws Exception {
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target(DroppedTables.DROP))
                .tables("public.t_a", "public.other")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            sql("BEGIN; INSERT INTO t_a VALUES (2, 'a2'); DROP TABLE t_a; INSERT INTO other VALUES (5); COMMIT");
            awaitState(pipeline, "public.t_a", TableState.DROPPED);
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(column("SELECT count(*) FROM information_schema.tables WHERE table_name = 't_a'"))
                    .containsExactly("0");
            assertThat(column("SELECT id FROM public.other"))
                    .as("the others go on")
                    .containsExactly("5");
        }
    }

    private RedshiftTarget target(DroppedTables policy) {
        return RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .droppedTables(policy)
                .build();
    }

    private static void awaitState(Pipeline pipeline, String table, TableState state) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (pipeline.status()
                .table(TableId.parse(table))
                .map(t -> t.state() != state)
                .orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(table + " did not reach " + state + ": " + pipeline.status());
            }
            Thread.sleep(50);
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
}

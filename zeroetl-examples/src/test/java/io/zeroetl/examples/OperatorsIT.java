package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.ZeroEtl;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an operator meets first: start-up mistakes fail fast with the fix, and status tells the truth. */
class OperatorsIT {
    private final EmbeddedPostgres pg = EmbeddedPostgres.shared();
    private String db;
    private RedshiftEmulator redshift;
    private PostgresSource source;

    @BeforeEach
    void start() throws SQLException {
        db = pg.createDatabase();
        redshift = RedshiftEmulator.start();
        sql(
                "CREATE TABLE orders (id int PRIMARY KEY, note text)",
                "INSERT INTO orders SELECT g, 'n' || g FROM generate_series(1, 5000) g");
        source = PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .build();
    }

    @AfterEach
    void stop() {
        source.retire("zeroetl");
        source.close();
        redshift.close();
        pg.dropDatabase(db);
    }

    @Test
    void theEmulatorsUrlWorksAsGivenAndATargetWithoutTlsFailsTheStartAtOnceNamingTheFix() throws Exception {
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(RedshiftTarget.builder()
                        .jdbcUrl(redshift.jdbcUrl())
                        .user(redshift.user())
                        .password(redshift.password())
                        .build())
                .tables("public.orders")
                .start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }
        RedshiftTarget tls = RedshiftTarget.builder()
                .jdbcUrl("jdbc:redshift://127.0.0.1:" + redshift.port() + "/dev")
                .user(redshift.user())
                .password(redshift.password())
                .build();

        assertThatThrownBy(() -> ZeroEtl.from(source)
                        .to(tls)
                        .tables("public.orders")
                        .pipelineId("tls")
                        .start())
                .isInstanceOfSatisfying(
                        ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("does not support SSL")
                .hasMessageContaining("Set ssl(false)");
    }

    @Test
    void aWrongTargetPortFailsTheStartWithinStartTimeout() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl("jdbc:redshift://127.0.0.1:" + closed + "/dev")
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .build();

        assertThatThrownBy(() -> ZeroEtl.from(source)
                        .to(target)
                        .tables("public.orders")
                        .pipelineId("port")
                        .startTimeout(Duration.ofSeconds(3))
                        .start())
                .isInstanceOfSatisfying(ZeroEtlException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RETRIES_EXHAUSTED);
                    assertThat(e.getCause().getMessage()).doesNotContain("could not start");
                })
                .hasMessageContaining("could not start within 3 s (startTimeout)")
                .hasMessageContaining("(SQLSTATE 08001). Check the host, port")
                .hasMessageNotContaining("retrying.")
                .hasMessageNotContaining("..");
    }

    @Test
    void aSecondInstanceOfARunningPipelineStandsByAndTheFirstGoesOn() throws Exception {
        try (Pipeline first =
                ZeroEtl.from(source).to(target()).tables("public.orders").start()) {
            assertThat(first.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();

            try (Pipeline second = ZeroEtl.from(source)
                    .to(target())
                    .tables("public.orders")
                    .startTimeout(Duration.ofSeconds(2))
                    .start()) {
                assertThat(second.state())
                        .as("start() returns at once, standing by")
                        .isEqualTo(PipelineState.STANDBY);
                assertThat(second.awaitCaughtUp(Duration.ofMillis(500)))
                        .as("a standby applies nothing")
                        .isFalse();

                sql("INSERT INTO orders VALUES (5001, 'after')");
                assertThat(first.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
                assertThat(first.status()
                                .table(TableId.parse("public.orders"))
                                .orElseThrow()
                                .inserts())
                        .isEqualTo(1);
                assertThat(second.state()).isEqualTo(PipelineState.STANDBY);
            }
            assertThat(first.state())
                    .as("closing a standby leaves the active one alone")
                    .isEqualTo(PipelineState.STREAMING);
        }
    }

    @Test
    void statusTellsTheTruthAboutEstimatesLagAndTablesWithoutAKey() throws Exception {
        sql(
                "CREATE TABLE events (at timestamptz, what text)",
                "INSERT INTO events SELECT now(), 'e' || g FROM generate_series(1, 300) g",
                "CREATE TABLE logs (line text)",
                "ALTER TABLE logs REPLICA IDENTITY FULL",
                "CREATE TABLE empty_logs (line text)",
                "ALTER TABLE empty_logs REPLICA IDENTITY FULL",
                "INSERT INTO logs SELECT 'l' || g FROM generate_series(1, 200) g");
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target())
                .tables("public.orders", "public.events", "public.logs", "public.empty_logs")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            assertThat(pipeline.status().lagBytes())
                    .as("not the source's raw log position")
                    .isLessThan(pipeline.status().sourcePosition().bytesAfter(io.zeroetl.Lsn.NONE) / 2 + 1);
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();

            assertThat(pipeline.state()).as("the copy is done").isEqualTo(PipelineState.STREAMING);
            assertThat(pipeline.status().table(TableId.parse("public.events")).orElseThrow())
                    .as("a keyless table would make the source's own updates fail: FAILED with the fix, not copying")
                    .satisfies(t -> assertThat(t.state()).isEqualTo(TableState.FAILED))
                    .satisfies(t -> assertThat(t.reason()).contains("REPLICA IDENTITY"));
            assertThat(pipeline.status().tables().values())
                    .as("keyless tables with REPLICA IDENTITY FULL, one empty:" + " copied and streaming")
                    .filteredOn(t -> t.table().table().endsWith("logs"))
                    .extracting(TableStatus::state)
                    .containsExactly(TableState.SYNCED, TableState.SYNCED);
            TableStatus orders =
                    pipeline.status().table(TableId.parse("public.orders")).orElseThrow();
            assertThat(orders.estimatedRows())
                    .as("an unanalyzed table's size is estimated, not -1")
                    .isEqualTo(5000);
            assertThat(orders.copiedRows()).isEqualTo(5000);
            assertThat(pipeline.status().lagMillis())
                    .as("at rest nothing is behind")
                    .isZero();
            assertThat(pipeline.status().lagBytes()).as("at rest").isLessThan(64 * 1024);
        }
    }

    @Test
    void aTableAddedOnALaterStartIsSnapshottingUntilItsCopyCommitsAndAwaitCaughtUpWaitsForIt() throws Exception {
        try (Pipeline first =
                ZeroEtl.from(source).to(target()).tables("public.orders").start()) {
            assertThat(first.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }
        sql(
                "CREATE TABLE extra (id int PRIMARY KEY, note text)",
                "INSERT INTO extra SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
        List<TableState> seen = new CopyOnWriteArrayList<>();
        io.zeroetl.PipelineListener listener = new io.zeroetl.PipelineListener() {
            @Override
            public void stateChanged(PipelineState from, PipelineState to) {}

            @Override
            public void tableStateChanged(TableStatus status) {
                if (status.table().table().equals("extra")) {
                    seen.add(status.state());
                }
            }
        };
        try (Pipeline second = ZeroEtl.from(source)
                .to(target())
                .tables("public.orders", "public.extra")
                .listener(listener)
                .start()) {
            assertThat(second.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            assertThat(second.status()
                            .table(TableId.parse("public.extra"))
                            .orElseThrow()
                            .state())
                    .isEqualTo(TableState.SYNCED);
            try (Connection c = redshift.connect();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM public.extra")) {
                rs.next();
                assertThat(rs.getLong(1)).as("caught up means copied").isEqualTo(20000);
            }
        }
        assertThat(seen)
                .as("never SYNCED before its copy")
                .startsWith(TableState.SNAPSHOTTING)
                .endsWith(TableState.SYNCED);
    }

    private RedshiftTarget target() {
        return RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .build();
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

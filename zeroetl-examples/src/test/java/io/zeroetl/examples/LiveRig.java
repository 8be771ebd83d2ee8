package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.DriftAction;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineBuilder;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.ValidationReport;
import io.zeroetl.Verification;
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
import java.util.function.UnaryOperator;

/**
 * One source database, one emulator and a pipeline between them, in this JVM: what most end-to-end tests
 * need, said once. The pipeline is started by {@link #start}; {@link #close} retires it and checks that the
 * emulator refused no statement.
 */
final class LiveRig implements AutoCloseable {
    /** How the rig's pipelines verify unless a test says otherwise: drift reported, never healed. */
    static final Verification RIG_VERIFICATION = Verification.DEFAULT.onDrift(DriftAction.REPORT);

    final EmbeddedPostgres pg;
    final String db;
    final RedshiftEmulator redshift;
    final PostgresSource source;
    private final List<Pipeline> pipelines = new ArrayList<>();

    LiveRig() {
        this(EmbeddedPostgres.shared(), null);
    }

    /** On {@code pg}, in a new database created with {@code createOptions} (e.g. {@code ENCODING 'LATIN1'}), or null. */
    LiveRig(EmbeddedPostgres pg, String createOptions) {
        this.pg = pg;
        if (createOptions == null) {
            this.db = pg.createDatabase();
        } else {
            this.db = "zeroetl_" + Long.toHexString(System.nanoTime());
            try (Connection c = pg.connect();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db + " " + createOptions);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        this.redshift = RedshiftEmulator.start();
        this.source = PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .build();
    }

    RedshiftTarget.Builder targetBuilder() {
        return RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password());
    }

    /** Starts a pipeline of the source into the emulator, shaped by {@code options}, and waits until it caught up. */
    Pipeline start(UnaryOperator<PipelineBuilder> options) {
        return start(targetBuilder().build(), options);
    }

    Pipeline start(RedshiftTarget target, UnaryOperator<PipelineBuilder> options) {
        // a drift is reported, not healed, so a test's own validation sees a real one; close() fails on any reported
        Pipeline pipeline = options.apply(ZeroEtl.from(source)
                        .to(target)
                        .flushInterval(Duration.ofMillis(100))
                        .verification(RIG_VERIFICATION))
                .start();
        pipelines.add(pipeline);
        caughtUp(pipeline);
        return pipeline;
    }

    static void caughtUp(Pipeline pipeline) {
        assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(90)))
                .as("caught up: %s", pipeline.status())
                .isTrue();
    }

    /** Runs each statement on the source, in its own transaction unless it holds several. */
    void sql(String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The first column of the first row of {@code query} on the source, as text. */
    String sourceValue(String query) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Runs {@code work} on a source connection. */
    void onSource(SqlWork work) throws SQLException {
        try (Connection c = pg.connect(db)) {
            work.run(c);
        }
    }

    /** The first column of each row of {@code query} on the target, as text. */
    List<String> target(String query) throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    /** Runs statements on the target, as an analyst would. */
    void onTarget(String... statements) throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static TableStatus status(Pipeline pipeline, String table) {
        return pipeline.status()
                .table(TableId.parse(table))
                .orElseThrow(() -> new AssertionError("no status for " + table + " in " + pipeline.status()));
    }

    /** Waits until {@code table} is in {@code state} (and the pipeline caught up), else fails showing the status. */
    static TableStatus awaitState(Pipeline pipeline, String table, TableState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            TableStatus s = pipeline.status().table(TableId.parse(table)).orElse(null);
            if (s != null && s.state() == state && pipeline.awaitCaughtUp(Duration.ofSeconds(30))) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(table + " did not become " + state + ": " + pipeline.status());
    }

    /** Validates {@code tables} (all of the pipeline's when none) and asserts every one is CLEAN. */
    static void assertSame(Pipeline pipeline, String... tables) {
        caughtUp(pipeline);
        ValidationReport report = pipeline.validate();
        for (String table : tables) {
            assertThat(report.table(table).outcome())
                    .as("%s: %s\n%s", table, report.table(table), pipeline.status())
                    .isEqualTo(io.zeroetl.TableValidation.Outcome.CLEAN);
        }
        if (tables.length == 0) {
            assertThat(report.clean()).as("%s\n%s", report, pipeline.status()).isTrue();
        }
    }

    @Override
    public void close() {
        List<String> drifts = new ArrayList<>();
        for (Pipeline p : pipelines) {
            if (p.status().verification().settings().equals(RIG_VERIFICATION)) {
                p.status().verification().drifts().forEach(d -> drifts.add(d.toString()));
            }
            p.close();
        }
        try {
            assertThat(drifts).as("drift reported by continuous verification").isEmpty();
            assertThat(redshift.rejectedStatements())
                    .as("every statement is valid Redshift")
                    .isEmpty();
        } finally {
            source.retire("zeroetl");
            source.close();
            redshift.close();
            pg.dropDatabase(db);
        }
    }

    /** Work on a source connection. */
    interface SqlWork {
        void run(Connection c) throws SQLException;
    }
}

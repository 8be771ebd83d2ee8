package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.change.ValueType;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.FakeReader;
import io.zeroetl.fakes.FakeSource;
import io.zeroetl.fakes.Harness;
import io.zeroetl.testing.InjectedFailure;
import io.zeroetl.testing.RecordedStatement;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A batch's cost follows its rows, not the tables it touches: the rows of every table go to one staging table
 * that the session keeps, so a batch sends no DDL per table and two statements per touched table (the merge's
 * DELETE and INSERT); the batch's transaction, and with it the lock pipelines share, is open only while the batch
 * is applied, not while it arrives; and a load of several tables' rows that fails is applied again table by
 * table, which loses nothing and fails only the table it concerns.
 */
class SharedStagingIT {
    private static final ColumnType INT4 = new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32);
    private static final ColumnType TEXT = new ColumnType("text", 25, ColumnType.Size.NONE, ValueType.STRING);
    private static final Pattern DDL = Pattern.compile("^(?:CREATE|ALTER|DROP) ");

    static S3Server s3;
    static RedshiftEmulator redshift;
    /** Shared loads still to refuse. */
    static final AtomicInteger sharedLoadsToRefuse = new AtomicInteger();

    static final AtomicInteger sharedLoadsRefused = new AtomicInteger();

    @BeforeAll
    static void start() {
        s3 = S3Server.start();
        s3.createBucket("shared-staging");
        redshift = RedshiftEmulator.builder()
                .s3(s3)
                .beforeStatement(sql -> {
                    if ((sql.startsWith("INSERT INTO \"zeroetl_stage_0\"")
                                    || sql.startsWith("COPY \"zeroetl_stage_0\""))
                            && sharedLoadsToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        sharedLoadsRefused.incrementAndGet();
                        throw new InjectedFailure("22P02", "injected refusal of a shared staging load");
                    }
                })
                .start();
    }

    @AfterAll
    static void stop() {
        assertThat(redshift.rejectedStatements())
                .as("statements the emulator rejected")
                .isEmpty();
        redshift.close();
        s3.close();
    }

    @ParameterizedTest(name = "staged through {0}")
    @ValueSource(strings = {"INSERT", "S3"})
    void aBatchTouchingManyTablesSendsTwoStatementsPerTableAndNoDdl(String staging) throws Exception {
        String schema = "cost_" + staging.toLowerCase();
        int tables = 40;
        FakeLog log = new FakeLog();
        log.transaction(x -> {
            List<ChangeEvent> events = new ArrayList<>();
            for (int t = 0; t < tables; t++) {
                events.add(new RelationEvent(schema(t)));
                events.add(new InsertEvent(table(t), Row.of(1, "first"), 50));
            }
            return events;
        });
        try (Pipeline pipeline = start(log, schema, staging, Duration.ofMillis(50))) {
            Harness.awaitCaughtUp(pipeline);
            for (int round = 0; round < 3; round++) {
                redshift.clearStatements();
                String value = "round " + round;
                log.transaction(x -> {
                    List<ChangeEvent> events = new ArrayList<>();
                    for (int t = 0; t < tables; t++) {
                        events.add(new UpdateEvent(table(t), null, false, Row.of(1, value), 50));
                        events.add(new InsertEvent(table(t), Row.of(100 + t, value), 50));
                    }
                    return events;
                });
                Harness.awaitCaughtUp(pipeline);
                List<String> sent = redshift.statements().stream()
                        .map(RecordedStatement::sql)
                        .map(String::strip)
                        .toList();
                assertThat(sent)
                        .as("DDL in a batch of known tables")
                        .noneMatch(s -> DDL.matcher(s).find());
                for (int t = 0; t < tables; t++) {
                    String name = "\"" + table(t).table() + "\"";
                    assertThat(sent.stream().filter(s -> s.contains(name)))
                            .as("statements naming %s", name)
                            .hasSize(2);
                }
                assertThat(sent.size())
                        .as("statements of a batch of %d tables: %s", tables, sent)
                        .isLessThanOrEqualTo(2 * tables + 12);
            }
            for (int t = 0; t < tables; t++) {
                assertThat(rows(schema, t)).containsExactly("1|round 2", (100 + t) + "|round 2");
            }
        }
    }

    @ParameterizedTest(name = "staged through {0}")
    @ValueSource(strings = {"INSERT", "S3"})
    void noTransactionOfThePipelineIsOpenWhileABatchArrives(String staging) throws Exception {
        String schema = "late_" + staging.toLowerCase();
        FakeLog log = new FakeLog();
        log.transaction(x -> List.of(new RelationEvent(schema(0)), new InsertEvent(table(0), Row.of(1, "a"), 50)));
        try (Pipeline pipeline = start(log, schema, staging, Duration.ofSeconds(5));
                Connection backing = redshift.connectPostgres()) {
            Harness.awaitCaughtUp(pipeline);
            try (Connection held = redshift.connect();
                    Statement s = held.createStatement()) {
                held.setAutoCommit(false);
                s.execute("SELECT 1");
                assertThat(openTransactions(backing))
                        .as("a transaction held open through the emulator is seen")
                        .hasSize(1);
                held.rollback();
            }
            Harness.await("the check's own transaction to end", () -> {
                try {
                    return openTransactions(backing).isEmpty();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            redshift.clearStatements();
            List<String> open = new ArrayList<>();
            // a batch that arrives transaction by transaction, looked at between them, well within its flush interval
            for (int i = 0; i < 40; i++) {
                int id = 10 + i;
                log.transaction(x -> List.of(new InsertEvent(table(0), Row.of(id, "arriving"), 50)));
                for (int look = 0; look < 5; look++) {
                    open.addAll(openTransactions(backing));
                }
            }
            List<String> during =
                    redshift.statements().stream().map(RecordedStatement::sql).toList();
            Harness.awaitCaughtUp(pipeline);
            assertThat(open)
                    .as("transactions seen open while the batch arrived (statements: %s)", during)
                    .isEmpty();
            assertThat(during).as("nothing locked while the batch arrived").noneMatch(s -> s.startsWith("LOCK"));
            assertThat(rows(schema, 0)).hasSize(41);
        }
    }

    @Test
    void aSharedLoadThatFailsIsAppliedAgainTableByTableAndLosesNothing() throws Exception {
        String schema = "again";
        FakeLog log = twoTables();
        try (Pipeline pipeline = start(log, schema, "INSERT", Duration.ofMillis(50))) {
            Harness.awaitCaughtUp(pipeline);
            redshift.clearStatements();
            sharedLoadsToRefuse.set(1);
            log.transaction(x -> List.of(
                    new InsertEvent(table(0), Row.of(2, "a2"), 50),
                    new UpdateEvent(table(1), null, false, Row.of(1, "b2"), 50)));
            Harness.awaitCaughtUp(pipeline);
            assertThat(sharedLoadsToRefuse).as("the injection fired").hasValue(0);
            assertThat(redshift.statements())
                    .as("applied again with a staging table per table")
                    .anySatisfy(
                            s -> assertThat(s.sql()).startsWith("CREATE TEMP TABLE \"zeroetl_stage_1\" (zeroetl_seq"));
            assertThat(pipeline.status().tables().values())
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo(TableState.SYNCED));

            redshift.clearStatements();
            log.transaction(x -> List.of(new InsertEvent(table(0), Row.of(3, "a3"), 50)));
            Harness.awaitCaughtUp(pipeline);
            assertThat(redshift.statements())
                    .as("the next batch shares again")
                    .anySatisfy(s -> assertThat(s.sql()).startsWith("INSERT INTO \"zeroetl_stage_0\""));
        }
        assertThat(rows(schema, 0)).containsExactly("1|a", "2|a2", "3|a3");
        assertThat(rows(schema, 1)).containsExactly("1|b2");
    }

    @Test
    void sharedLoadsRefusedThreeTimesInARowMakeTheApplierStageTableByTableForGood() throws Exception {
        String schema = "refused";
        FakeLog log = twoTables();
        try (Pipeline pipeline = start(log, schema, "INSERT", Duration.ofMillis(50))) {
            Harness.awaitCaughtUp(pipeline);
            sharedLoadsRefused.set(0);
            sharedLoadsToRefuse.set(Integer.MAX_VALUE);
            for (int batch = 2; batch <= 7; batch++) {
                int id = batch;
                log.transaction(x -> List.of(
                        new InsertEvent(table(0), Row.of(id, "a" + id), 50),
                        new InsertEvent(table(1), Row.of(id, "b" + id), 50)));
                Harness.awaitCaughtUp(pipeline);
            }
            assertThat(sharedLoadsRefused)
                    .as("shared loads tried: three, each batch then applied table by table")
                    .hasValue(3);
            assertThat(pipeline.status().tables().values())
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo(TableState.SYNCED));
        } finally {
            sharedLoadsToRefuse.set(0);
        }
        assertThat(rows(schema, 0)).hasSize(7).contains("7|a7");
        assertThat(rows(schema, 1)).hasSize(7).contains("7|b7");
    }

    @Test
    void aTableNamedLikeTheSharedStagingTableStagesInATableOfItsOwn() throws Exception {
        String schema = "named";
        TableId lookalike = TableId.of("public", "zeroetl_stage_0");
        TableSchema shape = new TableSchema(
                lookalike,
                List.of(new Column("id", INT4, true, false), new Column("note", TEXT, false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        FakeLog log = new FakeLog();
        log.transaction(x -> List.of(
                new RelationEvent(shape),
                new RelationEvent(schema(0)),
                new InsertEvent(lookalike, Row.of(1, "look"), 50),
                new InsertEvent(table(0), Row.of(1, "a"), 50)));
        try (Pipeline pipeline = start(log, schema, "INSERT", Duration.ofMillis(50), lookalike, table(0))) {
            Harness.awaitCaughtUp(pipeline);
            log.transaction(x -> List.of(
                    new UpdateEvent(lookalike, null, false, Row.of(1, "look2"), 50),
                    new UpdateEvent(table(0), null, false, Row.of(1, "a2"), 50)));
            Harness.awaitCaughtUp(pipeline);
            assertThat(pipeline.status().tables().values())
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo(TableState.SYNCED));
        }
        assertThat(query("SELECT id || '|' || note FROM " + schema + ".zeroetl_stage_0 ORDER BY id"))
                .containsExactly("1|look2");
        assertThat(rows(schema, 0)).containsExactly("1|a2");
    }

    /** A log that creates tables 0 and 1 with a row each ({@code 1|a}, {@code 1|b}). */
    private static FakeLog twoTables() {
        FakeLog log = new FakeLog();
        log.transaction(x -> List.of(
                new RelationEvent(schema(0)),
                new RelationEvent(schema(1)),
                new InsertEvent(table(0), Row.of(1, "a"), 50),
                new InsertEvent(table(1), Row.of(1, "b"), 50)));
        return log;
    }

    private static TableId table(int t) {
        return TableId.of("public", "t" + t);
    }

    private static TableSchema schema(int t) {
        return new TableSchema(
                table(t),
                List.of(new Column("id", INT4, true, false), new Column("note", TEXT, false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
    }

    private static Pipeline start(FakeLog log, String schema, String staging, Duration flush) {
        List<TableId> tables = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            tables.add(table(t));
        }
        return start(log, schema, staging, flush, tables.toArray(TableId[]::new));
    }

    private static Pipeline start(FakeLog log, String schema, String staging, Duration flush, TableId... tables) {
        Source source = new FakeSource(new FakeReader(log, () -> io.zeroetl.Lsn.of(Long.MAX_VALUE)));
        RedshiftTarget.Builder target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .schema(schema);
        if (staging.equals("S3")) {
            target.s3Staging(S3Staging.builder()
                    .bucket("shared-staging")
                    .endpoint(s3.endpoint())
                    .credentials(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                    .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                    .threshold(0)
                    .build());
        }
        return ZeroEtl.from(source)
                .to(target.build())
                .tables(List.of(tables))
                .pipelineId(schema)
                .flushInterval(flush)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .start();
    }

    /** Sessions of the emulator's backing database, other than {@code backing}'s, idle inside a transaction. */
    private static List<String> openTransactions(Connection backing) throws SQLException {
        List<String> open = new ArrayList<>();
        try (Statement s = backing.createStatement();
                ResultSet rs = s.executeQuery("SELECT pid || ' ' || state || ' since ' || xact_start || ': ' || query"
                        + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        + " AND state LIKE 'idle in transaction%'")) {
            while (rs.next()) {
                open.add(rs.getString(1));
            }
        }
        return open;
    }

    private static List<String> rows(String schema, int t) throws SQLException {
        return query("SELECT id || '|' || note FROM " + schema + ".t" + t + " ORDER BY id");
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}

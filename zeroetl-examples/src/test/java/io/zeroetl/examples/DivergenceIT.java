package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.ValidationReport;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.testing.EmbeddedPostgres;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL changes stored values without a row change in the WAL, and the source can stop telling us of a
 * table: each such change ends with the target equal to the source (the table copied again) or the table
 * FAILED with the reason, never SYNCED and different.
 */
class DivergenceIT {
    @Test
    void aTypeChangeWhoseUsingExpressionChangesTheValuesIsCopiedAgain() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE amounts (id int PRIMARY KEY, amount int, code text)",
                    "INSERT INTO amounts VALUES (1, 5, 'ab'), (2, 7, 'cd')");
            Pipeline pipeline = rig.start(b -> b.tables("public.amounts"));
            rig.sql(
                    "ALTER TABLE amounts ALTER COLUMN amount TYPE bigint USING amount * 100",
                    "ALTER TABLE amounts ALTER COLUMN code TYPE varchar(10) USING upper(code)");
            LiveRig.assertSame(pipeline, "public.amounts");
            assertThat(rig.target("SELECT amount || code FROM public.amounts ORDER BY id"))
                    .containsExactly("500AB", "700CD");
        }
    }

    @Test
    void anEnumLabelRenamedIsCopiedAgain() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TYPE mood AS ENUM ('sad', 'ok')",
                    "CREATE TABLE moods (id int PRIMARY KEY, m mood, ms mood[])",
                    "INSERT INTO moods VALUES (1, 'sad', '{sad,ok}'), (2, 'ok', '{}')");
            Pipeline pipeline = rig.start(b -> b.tables("public.moods"));
            rig.sql("ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'");
            LiveRig.assertSame(pipeline, "public.moods");
            assertThat(rig.target("SELECT m FROM public.moods ORDER BY id")).containsExactly("blue", "ok");
        }
    }

    @Test
    void aColumnRenamedAndThenWidenedWhileThePipelineWasDownIsWidenedInTheTargetUnderItsNewName() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql("CREATE TABLE t (id int PRIMARY KEY, a int)", "INSERT INTO t VALUES (1, 1)");
            rig.start(b -> b.tables("public.t")).close();
            // the next start knows the table's layout only as recorded: the rename must carry the column's type
            rig.sql(
                    "ALTER TABLE t RENAME COLUMN a TO b",
                    "ALTER TABLE t ALTER COLUMN b TYPE bigint",
                    "INSERT INTO t VALUES (2, 5000000000)");
            Pipeline again = rig.start(b -> b.tables("public.t"));
            LiveRig.assertSame(again, "public.t");
            assertThat(rig.target("SELECT b FROM public.t ORDER BY id")).containsExactly("1", "5000000000");
        }
    }

    @Test
    void aSchemaRenamedWithANewTableOfTheOldNameNeverKeepsTheOldRowsUnderTheNewTable() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE SCHEMA s1",
                    "CREATE TABLE s1.t1 (id int PRIMARY KEY, v text)",
                    "INSERT INTO s1.t1 VALUES (1, 'old'), (2, 'old')");
            Pipeline pipeline = rig.start(b -> b.tables("s1.t1"));
            rig.sql("BEGIN; ALTER SCHEMA s1 RENAME TO s2; CREATE SCHEMA s1;"
                    + " CREATE TABLE s1.t1 (id int PRIMARY KEY, v text); INSERT INTO s1.t1 VALUES (10, 'new'); COMMIT");
            LiveRig.awaitState(pipeline, "s1.t1", TableState.SYNCED);
            LiveRig.assertSame(pipeline, "s1.t1");
            assertThat(rig.target("SELECT id || v FROM s1.t1")).containsExactly("10new");
        }
    }

    @Test
    void aSchemaRenamedToANameNotSelectedEndsItsTablesDroppedNamingTheNewName() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql("CREATE SCHEMA s1", "CREATE TABLE s1.t1 (id int PRIMARY KEY)", "INSERT INTO s1.t1 VALUES (1)");
            Pipeline pipeline = rig.start(b -> b.tables("s1.t1"));
            rig.sql("ALTER SCHEMA s1 RENAME TO s3", "INSERT INTO s3.t1 VALUES (2)");
            TableStatus status = LiveRig.awaitState(pipeline, "s1.t1", TableState.DROPPED);
            assertThat(status.reason()).contains("renamed at the source to s3.t1");
        }
    }

    @Test
    void aTableADbaTakesOutOfZeroetlsPublicationIsPutBackAndCopiedAgain() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE orders (id int PRIMARY KEY, v text)",
                    "CREATE TABLE other (id int PRIMARY KEY)",
                    "INSERT INTO orders VALUES (1, 'a'), (2, 'b')");
            Pipeline pipeline = rig.start(b -> b.tables("public.orders", "public.other"));
            rig.sql(
                    "ALTER PUBLICATION zeroetl_zeroetl DROP TABLE orders",
                    "UPDATE orders SET v = 'changed while out' WHERE id = 1",
                    "DELETE FROM orders WHERE id = 2",
                    "INSERT INTO orders VALUES (3, 'c')");
            LiveRig.awaitState(pipeline, "public.orders", TableState.SYNCED);
            rig.sql("INSERT INTO orders VALUES (4, 'after')");
            LiveRig.assertSame(pipeline, "public.orders");
            assertThat(rig.target("SELECT count(*) FROM public.orders")).containsExactly("3");
        }
    }

    @Test
    void twoPipelinesOnOneSourceEachReadTheirOwnPublicationsChanges() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE a (id int PRIMARY KEY, v text)",
                    "CREATE TABLE b (id int PRIMARY KEY, v text)",
                    "INSERT INTO a VALUES (1, 'a')",
                    "INSERT INTO b VALUES (1, 'b')");
            // one PostgresSource for both: each stream decodes with its own decoder, which knows its publication
            Pipeline first = rig.start(b -> b.tables("public.a").pipelineId("pa"));
            Pipeline second = rig.start(b -> b.tables("public.b").pipelineId("pb"));
            rig.sql(
                    "ALTER PUBLICATION zeroetl_pa DROP TABLE a",
                    "UPDATE a SET v = 'changed while out' WHERE id = 1",
                    "INSERT INTO a VALUES (2, 'a2')",
                    "INSERT INTO b VALUES (2, 'b2')");
            // the captured ALTER PUBLICATION marks the table for a copy in the batch that holds it (the health check
            // would notice only two status intervals later): once caught up, the table is copied, then SYNCED
            LiveRig.caughtUp(first);
            LiveRig.awaitState(first, "public.a", io.zeroetl.TableState.SYNCED);
            LiveRig.assertSame(first, "public.a");
            LiveRig.assertSame(second, "public.b");
        }
    }

    @Test
    void withoutDdlCaptureATableTakenOutOfThePublicationIsNoticedByTheHealthCheck() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        try (LiveRig rig = new LiveRig()) {
            rig.sql("CREATE TABLE orders (id int PRIMARY KEY, v text)", "INSERT INTO orders VALUES (1, 'a')");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(rig.db))
                    .user(pg.user())
                    .password(pg.password())
                    .ddlCapture(false)
                    .statusInterval(Duration.ofSeconds(1))
                    .build();
            try (Pipeline pipeline = io.zeroetl.ZeroEtl.from(source)
                    .to(rig.targetBuilder().build())
                    .tables("public.orders")
                    .pipelineId("nocapture")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                LiveRig.caughtUp(pipeline);
                rig.sql("ALTER PUBLICATION zeroetl_nocapture DROP TABLE orders", "UPDATE orders SET v = 'unseen'");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!rig.target("SELECT v FROM public.orders").contains("unseen") && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                LiveRig.assertSame(pipeline, "public.orders");
            } finally {
                source.retire("nocapture");
                source.close();
            }
        }
    }

    @Test
    void aTableTakenOutOfADbasPublicationFailsSayingSo() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE orders (id int PRIMARY KEY, v text)",
                    "INSERT INTO orders VALUES (1, 'a')",
                    "CREATE PUBLICATION dba_pub FOR TABLE orders");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(rig.db))
                    .user(pg.user())
                    .password(pg.password())
                    .publication("dba_pub")
                    .build();
            try (Pipeline pipeline = io.zeroetl.ZeroEtl.from(source)
                    .to(rig.targetBuilder().build())
                    .tables("public.orders")
                    .pipelineId("dbapub")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                LiveRig.caughtUp(pipeline);
                rig.sql("ALTER PUBLICATION dba_pub DROP TABLE orders", "UPDATE orders SET v = 'unseen'");
                TableStatus status = LiveRig.awaitState(pipeline, "public.orders", TableState.FAILED);
                assertThat(status.reason()).contains("dba_pub").contains("ADD TABLE");
            } finally {
                source.retire("dbapub");
                source.close();
            }
        }
    }

    @Test
    void aTableCreatedFilledAndDroppedInOneTransactionNeverFails() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql("CREATE TABLE t_keep (id int PRIMARY KEY)");
            Pipeline pipeline = rig.start(b -> b.include("public.t_*"));
            rig.sql(
                    "BEGIN; CREATE TABLE t_tmp (id int PRIMARY KEY); INSERT INTO t_tmp VALUES (1); DROP TABLE t_tmp;"
                            + " COMMIT",
                    "INSERT INTO t_keep VALUES (1)");
            LiveRig.caughtUp(pipeline);
            Thread.sleep(500);
            LiveRig.caughtUp(pipeline);
            assertThat(pipeline.status().tables().values())
                    .as("%s", pipeline.status())
                    .noneMatch(t -> t.state() == TableState.FAILED);
            LiveRig.assertSame(pipeline, "public.t_keep");
        }
    }

    @Test
    void aKeylessTableCreatedAgainWithAnotherColumnTypeTakesTheNewType() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE k (a int, b float8)",
                    "ALTER TABLE k REPLICA IDENTITY FULL",
                    "INSERT INTO k VALUES (1, 1.5), (1, 1.5)");
            Pipeline pipeline = rig.start(b -> b.tables("public.k"));
            rig.sql(
                    "DROP TABLE k",
                    "CREATE TABLE k (a int, b text)",
                    "ALTER TABLE k REPLICA IDENTITY FULL",
                    "INSERT INTO k VALUES (2, 'two'), (2, 'two')");
            LiveRig.awaitState(pipeline, "public.k", TableState.SYNCED);
            rig.sql("DELETE FROM k WHERE ctid = (SELECT min(ctid) FROM k)");
            LiveRig.assertSame(pipeline, "public.k");
            assertThat(rig.target("SELECT b FROM public.k")).containsExactly("two");
        }
    }

    @Test
    void partitionsMatchingAPatternAreSelectedWhetherTheyExistedAtStartOrCameLater() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE events (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)",
                    "CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100)",
                    "INSERT INTO events VALUES (1, 'a')");
            Pipeline pipeline = rig.start(b -> b.include("public.events_*"));
            rig.sql(
                    "CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (100) TO (200)",
                    "INSERT INTO events VALUES (2, 'b'), (101, 'c')");
            LiveRig.awaitState(pipeline, "public.events_2", TableState.SYNCED);
            ValidationReport report = io.zeroetl.ZeroEtl.validate(
                            rig.source, rig.targetBuilder().build())
                    .tables("public.events_1", "public.events_2")
                    .run();
            assertThat(report.clean()).as("%s", report).isTrue();
            assertThat(pipeline.status().table(TableId.parse("public.events_1")))
                    .hasValueSatisfying(t -> assertThat(t.state()).isEqualTo(TableState.SYNCED));
        }
    }

    @Test
    void grantsOnATargetTableOutliveItsRebuildAndItsResync() throws Exception {
        String suffix = Long.toHexString(System.nanoTime());
        String analyst = "analyst_" + suffix;
        String group = "bi_" + suffix;
        try (LiveRig rig = new LiveRig()) {
            rig.sql("CREATE TABLE orders (id int PRIMARY KEY, v text)", "INSERT INTO orders VALUES (1, 'a')");
            Pipeline pipeline = rig.start(b -> b.tables("public.orders"));
            rig.onTarget(
                    "CREATE USER " + analyst + " PASSWORD 'Analyst1pw'",
                    "CREATE GROUP " + group,
                    "GRANT SELECT ON public.orders TO " + analyst,
                    "GRANT SELECT, INSERT ON public.orders TO GROUP " + group);
            try {
                String privileges = "SELECT identity_name || ':' || privilege_type FROM svv_relation_privileges"
                        + " WHERE namespace_name = 'public' AND relation_name = 'orders' ORDER BY 1";
                rig.sql("ALTER TABLE orders ALTER COLUMN id TYPE bigint", "INSERT INTO orders VALUES (2, 'b')");
                LiveRig.assertSame(pipeline, "public.orders");
                assertThat(rig.target(privileges))
                        .as("after a rebuild for a new key type")
                        .containsExactly(analyst + ":SELECT", group + ":INSERT", group + ":SELECT");
                pipeline.resync("public.orders");
                LiveRig.awaitState(pipeline, "public.orders", TableState.SYNCED);
                assertThat(rig.target(privileges))
                        .as("after a resync")
                        .containsExactly(analyst + ":SELECT", group + ":INSERT", group + ":SELECT");
            } finally {
                rig.onTarget(
                        "REVOKE ALL ON public.orders FROM " + analyst,
                        "REVOKE ALL ON public.orders FROM GROUP " + group,
                        "DROP USER " + analyst,
                        "DROP GROUP " + group);
            }
        }
    }

    @Test
    void aViewThatBlocksARebuildFailsTheTableSayingWhatBlocksItAndWhatToDo() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql("CREATE TABLE orders (id int PRIMARY KEY, v text)", "INSERT INTO orders VALUES (1, 'a')");
            Pipeline pipeline = rig.start(b -> b.tables("public.orders"));
            rig.onTarget("CREATE VIEW public.orders_v AS SELECT id, v FROM public.orders");
            rig.sql("ALTER TABLE orders ALTER COLUMN id TYPE bigint");
            TableStatus status = LiveRig.awaitState(pipeline, "public.orders", TableState.FAILED);
            assertThat(status.reason())
                    .contains("a view or another object in the target depends on it")
                    .contains("WITH NO SCHEMA BINDING")
                    .doesNotContain("do not convert");
            rig.onTarget("DROP VIEW public.orders_v");
        }
    }

    @Test
    void aSlotTheSourceInvalidatedWhileThePipelineWasDownLeadsToACopyInsteadOfAnEndlessError() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .serverSetting("max_slot_wal_keep_size", "1MB")
                        .start();
                LiveRig rig = new LiveRig(pg, null)) {
            rig.sql("CREATE TABLE orders (id int PRIMARY KEY, v text)", "INSERT INTO orders VALUES (1, 'a')");
            rig.start(b -> b.tables("public.orders")).close();
            // while the pipeline is down, the source writes more WAL than the slot may keep, and removes it
            for (int i = 0;
                    i < 10
                            && !rig.sourceValue("SELECT wal_status FROM pg_replication_slots")
                                    .equals("lost");
                    i++) {
                rig.sql(
                        "INSERT INTO orders VALUES (" + (10 + i) + ", 'while down')",
                        "SELECT pg_switch_wal()",
                        "CHECKPOINT");
            }
            assertThat(rig.sourceValue("SELECT wal_status FROM pg_replication_slots"))
                    .isEqualTo("lost");
            Pipeline again = rig.start(b -> b.tables("public.orders"));
            LiveRig.assertSame(again, "public.orders");
            assertThat(rig.sourceValue("SELECT wal_status FROM pg_replication_slots"))
                    .isNotEqualTo("lost");
        }
    }

    @Test
    void inALatin1DatabaseRenamesAndDefaultsWithAccentsAreFollowed() throws Exception {
        try (LiveRig rig = new LiveRig(
                EmbeddedPostgres.shared(), "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")) {
            rig.sql(
                    "CREATE TABLE mesures (id int PRIMARY KEY, v text)",
                    "INSERT INTO mesures SELECT g, 'é' || g FROM generate_series(1, 20) g");
            Pipeline pipeline = rig.start(b -> b.tables("public.mesures"));
            rig.sql(
                    "ALTER TABLE mesures RENAME COLUMN v TO \"größe\"",
                    "ALTER TABLE mesures ADD COLUMN boisson text DEFAULT 'café'",
                    "INSERT INTO mesures VALUES (21, 'ü', 'thé')");
            LiveRig.assertSame(pipeline, "public.mesures");
            assertThat(pipeline.status().rejectedMessages()).isZero();
            assertThat(rig.target("SELECT count(*) FROM public.mesures WHERE \"größe\" IS NOT NULL AND boisson"
                            + " IS NOT NULL"))
                    .containsExactly("21");
        }
    }

    @Test
    void inASqlAsciiDatabaseBytesThatAreNotUtf8FailTheirTableOnlyWhetherCopiedOrStreamed() throws Exception {
        try (LiveRig rig = new LiveRig(
                EmbeddedPostgres.shared(), "ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")) {
            rig.sql(
                    "CREATE TABLE raw (id int PRIMARY KEY, v text)",
                    "INSERT INTO raw VALUES (1, E'ok'), (2, E'\\377 not utf-8')",
                    "CREATE TABLE later (id int PRIMARY KEY, v text)",
                    "INSERT INTO later VALUES (1, 'fine')",
                    "CREATE TABLE clean (id int PRIMARY KEY, v text)",
                    "INSERT INTO clean VALUES (1, 'a')");
            Pipeline pipeline = rig.start(b -> b.tables("public.raw", "public.later", "public.clean"));
            TableStatus raw = LiveRig.awaitState(pipeline, "public.raw", TableState.FAILED);
            assertThat(raw.reason()).contains("UTF-8");
            rig.sql("INSERT INTO later VALUES (2, E'caf\\351')", "INSERT INTO clean VALUES (2, 'b')");
            TableStatus later = LiveRig.awaitState(pipeline, "public.later", TableState.FAILED);
            assertThat(later.reason()).contains("UTF-8");
            LiveRig.assertSame(pipeline, "public.clean");
        }
    }

    @Test
    void ddlCaptureTurnedOffWhileStreamingIsTurnedOnAgainAndWhatRanMeanwhileIsCopied() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        try (LiveRig rig = new LiveRig()) {
            rig.sql("CREATE TABLE orders (id int PRIMARY KEY, amount int)", "INSERT INTO orders VALUES (1, 5), (2, 7)");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(rig.db))
                    .user(pg.user())
                    .password(pg.password())
                    .statusInterval(Duration.ofSeconds(1))
                    .build();
            try (Pipeline pipeline = io.zeroetl.ZeroEtl.from(source)
                    .to(rig.targetBuilder().build())
                    .tables("public.orders")
                    .pipelineId("captureoff")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                LiveRig.caughtUp(pipeline);
                rig.sql(
                        "ALTER EVENT TRIGGER zeroetl_ddl DISABLE",
                        "ALTER TABLE orders ALTER COLUMN amount TYPE bigint USING amount * 100");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!rig.target("SELECT amount FROM public.orders WHERE id = 1")
                                .equals(java.util.List.of("500"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                LiveRig.assertSame(pipeline, "public.orders");
                assertThat(rig.sourceValue("SELECT evtenabled FROM pg_event_trigger WHERE evtname = 'zeroetl_ddl'"))
                        .isEqualTo("A");
            } finally {
                source.retire("captureoff");
                source.close();
            }
        }
    }
}

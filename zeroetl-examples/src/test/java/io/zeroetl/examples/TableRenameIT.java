package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.DeleteMode;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineBuilder;
import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.redshift.Distribution;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.ValuePolicy;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RecordedStatement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tables renamed at the source (ALTER TABLE ... RENAME TO, ALTER TABLE ... SET SCHEMA, ALTER SCHEMA ... RENAME)
 * while replicated: followed in the target when the selection takes the new name — the rows kept, nothing copied
 * again, the changes after it applied under the new name, also after a restart — and ended DROPPED when it does
 * not; each compared row by row with the source.
 */
class TableRenameIT {

    @Test
    void aTableRenamedToANameThePatternTakesIsFollowedWithItsRowsAndNothingCopiedAgain() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE orders (id int PRIMARY KEY, v text)",
                    "INSERT INTO orders SELECT g, 'v' || g FROM generate_series(1, 50) g");
            List<String> transitions = new CopyOnWriteArrayList<>();
            Pipeline pipeline = rig.start(b -> b.include("public.*").listener(recording(transitions)));
            transitions.clear();
            rig.sql(
                    "BEGIN; UPDATE orders SET v = 'before' WHERE id = 1; ALTER TABLE orders RENAME TO orders_v2;"
                            + " UPDATE orders_v2 SET v = 'after' WHERE id = 2; COMMIT",
                    "INSERT INTO orders_v2 VALUES (51, 'new')",
                    "DELETE FROM orders_v2 WHERE id = 3");
            LiveRig.assertSame(pipeline, "public.orders_v2");
            assertThat(pipeline.status().tables()).containsOnlyKeys(TableId.parse("public.orders_v2"));
            assertThat(rig.target("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                    .containsExactly("orders_v2");
            assertThat(transitions).as("followed, never copied").containsExactly("public.orders_v2 SYNCED");
            assertThat(rig.target("SELECT table_name FROM zeroetl.zeroetl_table_state"))
                    .containsExactly(TableId.parse("public.orders_v2").quoted());

            // a new instance of the pipeline (a restart) knows the table by its new name: not copied again
            pipeline.close();
            List<String> restarted = new CopyOnWriteArrayList<>();
            Pipeline again = rig.start(b -> b.include("public.*").listener(recording(restarted)));
            rig.sql("UPDATE orders_v2 SET v = 'after the restart' WHERE id = 4");
            LiveRig.assertSame(again, "public.orders_v2");
            assertThat(restarted).doesNotContain("public.orders_v2 SNAPSHOTTING", "public.orders_v2 RESYNCING");
        }
    }

    @Test
    void twoTablesSwappedInOneTransactionAndARenamedPartitionedTableKeepEachTheirRows() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE a (id int PRIMARY KEY, v text)",
                    "CREATE TABLE b (id int PRIMARY KEY, v text)",
                    "INSERT INTO a VALUES (1, 'was a')",
                    "INSERT INTO b VALUES (1, 'was b'), (2, 'was b')",
                    "CREATE TABLE ev (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)",
                    "CREATE TABLE ev_1 PARTITION OF ev FOR VALUES FROM (0) TO (100)",
                    "CREATE TABLE ev_2 PARTITION OF ev FOR VALUES FROM (100) TO (200)",
                    "INSERT INTO ev VALUES (1, 'x'), (101, 'y')");
            Pipeline pipeline = rig.start(b -> b.include("public.*"));
            rig.sql(
                    "BEGIN; ALTER TABLE a RENAME TO swap; ALTER TABLE b RENAME TO a; ALTER TABLE swap RENAME TO b;"
                            + " INSERT INTO a VALUES (3, 'new in a'); COMMIT",
                    // decoded after its commit, when the catalog already has the new name
                    "BEGIN; INSERT INTO ev VALUES (3, 'before'), (103, 'before'); ALTER TABLE ev RENAME TO events;"
                            + " INSERT INTO events VALUES (2, 'after'), (102, 'after'); COMMIT");
            LiveRig.assertSame(pipeline, "public.a", "public.b", "public.events");
            rig.sql("TRUNCATE ev_1", "DELETE FROM events WHERE id = 101");
            LiveRig.assertSame(pipeline, "public.events");
            // the stream opens again (its connection cut): it still knows the renamed table, and routes to it
            rig.sql("SELECT pg_terminate_backend(r.pid) FROM pg_stat_replication r JOIN pg_stat_activity a"
                    + " ON a.pid = r.pid WHERE a.datname = current_database()");
            rig.sql("INSERT INTO events VALUES (4, 'after the reconnect'), (104, 'after the reconnect')");
            LiveRig.assertSame(pipeline, "public.events", "public.a", "public.b");
            assertThat(rig.target("SELECT v FROM public.b")).containsExactly("was a");
            assertThat(rig.target("SELECT count(*) FROM public.a")).containsExactly("3");
            assertThat(rig.target("SELECT id FROM public.events ORDER BY id"))
                    .containsExactly("4", "102", "103", "104");
        }
    }

    @Test
    void aTableMovedToAnotherSchemaAndASchemaRenamedAreFollowedInTheTarget() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE SCHEMA sales",
                    "CREATE SCHEMA archive",
                    "CREATE TABLE sales.orders (id int PRIMARY KEY, v text)",
                    "CREATE TABLE sales.items (id int PRIMARY KEY, n int)",
                    "INSERT INTO sales.orders SELECT g, 'v' || g FROM generate_series(1, 20) g",
                    "INSERT INTO sales.items SELECT g, g FROM generate_series(1, 20) g");
            Pipeline pipeline = rig.start(b -> b.include("sales.*", "archive.*", "sales_v2.*"));
            rig.sql(
                    "ALTER TABLE sales.orders SET SCHEMA archive",
                    "UPDATE archive.orders SET v = 'moved' WHERE id <= 5",
                    "ALTER SCHEMA sales RENAME TO sales_v2",
                    "INSERT INTO sales_v2.items VALUES (21, 21)");
            LiveRig.assertSame(pipeline, "archive.orders", "sales_v2.items");
            assertThat(pipeline.status().tables())
                    .containsOnlyKeys(TableId.parse("archive.orders"), TableId.parse("sales_v2.items"));
            assertThat(rig.target("SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE"
                            + " table_schema IN ('sales', 'archive', 'sales_v2') ORDER BY 1"))
                    .containsExactly("archive.orders", "sales_v2.items");
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 17, 18})
    void aRenameAndAMoveToAnotherSchemaAreFollowedOnEverySupportedVersion(int version) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version(version).start();
                LiveRig rig = new LiveRig(pg, null)) {
            rig.sql(
                    "CREATE SCHEMA archive",
                    "CREATE TABLE orders (id int PRIMARY KEY, v text)",
                    "INSERT INTO orders SELECT g, 'v' || g FROM generate_series(1, 20) g");
            Pipeline pipeline = rig.start(b -> b.include("public.*", "archive.*"));
            rig.sql("BEGIN; UPDATE orders SET v = 'before' WHERE id = 1; ALTER TABLE orders RENAME TO orders_v2;"
                    + " ALTER TABLE orders_v2 SET SCHEMA archive; DELETE FROM archive.orders_v2 WHERE id = 2;"
                    + " COMMIT");
            LiveRig.assertSame(pipeline, "archive.orders_v2");
            assertThat(pipeline.status().tables()).containsOnlyKeys(TableId.parse("archive.orders_v2"));
        }
    }

    @Test
    void aTableRenamedWhileThePipelineWasDownIsCopiedUnderItsNewNameAndItsOldNameEndsDropped() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE orders (id int PRIMARY KEY, v text)",
                    "INSERT INTO orders SELECT g, 'v' || g FROM generate_series(1, 10) g");
            rig.start(b -> b.include("public.*")).close();
            rig.sql("ALTER TABLE orders RENAME TO orders_v2", "INSERT INTO orders_v2 VALUES (11, 'while down')");

            Pipeline again = rig.start(b -> b.include("public.*"));
            LiveRig.awaitState(again, "public.orders_v2", TableState.SYNCED);
            LiveRig.assertSame(again, "public.orders_v2");
            assertThat(LiveRig.awaitState(again, "public.orders", TableState.DROPPED)
                            .reason())
                    .as("its target table no longer looks current")
                    .isNotBlank();
            assertThat(rig.target("SELECT state FROM zeroetl.zeroetl_table_state WHERE table_name = '"
                            + TableId.parse("public.orders").quoted().replace("'", "''") + "'"))
                    .containsExactly("DROPPED");
        }
    }

    @Test
    void aTableRenamedToANameTheSelectionDoesNotTakeEndsDroppedSayingWhy() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE orders (id int PRIMARY KEY, v text)",
                    "CREATE TABLE other (id int PRIMARY KEY)",
                    "INSERT INTO orders VALUES (1, 'a')");
            Pipeline pipeline = rig.start(b -> b.tables("public.orders", "public.other"));
            rig.sql("ALTER TABLE orders RENAME TO orders_old", "INSERT INTO orders_old VALUES (2, 'b')");
            TableStatus status = LiveRig.awaitState(pipeline, "public.orders", TableState.DROPPED);
            assertThat(status.reason()).contains("renamed at the source to public.orders_old");
            assertThat(rig.target("SELECT count(*) FROM public.orders"))
                    .as("kept as a dropped table is, by default")
                    .containsExactly("1");
            rig.sql("INSERT INTO other VALUES (1)");
            LiveRig.assertSame(pipeline, "public.other");
        }
    }

    @Test
    void aRenamedTableKeepsItsRulesValuePolicyAndDistributionUnderItsNewNameAlsoAfterARestart() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE SCHEMA sales",
                    "CREATE TABLE orders (id int PRIMARY KEY, v text, secret text, x float8)",
                    "INSERT INTO orders SELECT g, 'v' || g, 's' || g, g FROM generate_series(1, 20) g");
            RedshiftTarget target = rig.targetBuilder()
                    .valuePolicy("public.orders", ValuePolicy.SET_NULL)
                    .distribution("public.orders", Distribution.ALL)
                    .build();
            List<String> transitions = new CopyOnWriteArrayList<>();
            UnaryOperator<PipelineBuilder> config = b -> b.include("public.*", "sales.*")
                    .table("public.orders", t -> t.excludeColumns("secret"))
                    .listener(recording(transitions));
            Pipeline pipeline = rig.start(target, config);
            transitions.clear();
            // moved to another schema: the target table is created there (with its distribution) and filled
            rig.sql(
                    "ALTER TABLE orders SET SCHEMA sales",
                    "UPDATE sales.orders SET v = 'moved' WHERE id = 1",
                    "INSERT INTO sales.orders VALUES (21, 'v21', 's21', 21)");
            LiveRig.assertSame(pipeline, "sales.orders");
            rig.sql("INSERT INTO sales.orders VALUES (22, 'v22', 's22', 'Infinity')");
            LiveRig.caughtUp(pipeline);
            assertThat(transitions).as("followed, never copied").containsExactly("sales.orders SYNCED");
            assertThat(LiveRig.status(pipeline, "sales.orders").reason()).isNull();
            assertThat(rig.target("SELECT coalesce(x::varchar, 'null') FROM sales.orders WHERE id = 22"))
                    .as("its value policy (SET_NULL) went with it")
                    .containsExactly("null");
            assertThat(rig.redshift.statements())
                    .map(RecordedStatement::sql)
                    .as("its distribution went with it")
                    .anySatisfy(s -> assertThat(s)
                            .startsWith("CREATE TABLE \"sales\".\"orders\"")
                            .contains("DISTSTYLE ALL"));
            assertThat(rig.target("SELECT table_name || ' ' || first_name FROM zeroetl.zeroetl_table_names"))
                    .containsExactly(TableId.parse("sales.orders").quoted() + " "
                            + TableId.parse("public.orders").quoted());

            // a restart with the same settings: they still name it by its first name
            pipeline.close();
            transitions.clear();
            Pipeline again = rig.start(target, config);
            rig.sql(
                    "INSERT INTO sales.orders VALUES (23, 'v23', 's23', '-Infinity')",
                    "UPDATE sales.orders SET secret = 'changed', v = 'after' WHERE id = 2");
            LiveRig.caughtUp(again);
            assertThat(LiveRig.status(again, "sales.orders").reason())
                    .as("SET_NULL still applies")
                    .isNull();
            assertThat(transitions).doesNotContain("sales.orders SNAPSHOTTING", "sales.orders RESYNCING");
            assertThat(rig.target("SELECT column_name FROM information_schema.columns WHERE table_schema = 'sales'"
                            + " AND table_name = 'orders' ORDER BY ordinal_position"))
                    .as("its rules (secret left out) still apply")
                    .containsExactly("id", "v", "x");
            assertThat(rig.target("SELECT v || ' ' || coalesce(x::varchar, 'null') FROM sales.orders"
                            + " WHERE id IN (2, 23) ORDER BY id"))
                    .containsExactly("after 2", "v23 null");
        }
    }

    @Test
    void aTableWithRulesRenamedWhileThePipelineWasDownEndsDroppedAndThePipelineStillStarts() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE orders (id int PRIMARY KEY, v text, secret text)",
                    "INSERT INTO orders VALUES (1, 'a', 's')");
            UnaryOperator<PipelineBuilder> config =
                    b -> b.include("public.*").table("public.orders", t -> t.excludeColumns("secret"));
            rig.start(config).close();
            rig.sql("ALTER TABLE orders RENAME TO orders_v2", "INSERT INTO orders_v2 VALUES (2, 'b', 't')");

            // the rules name a table the source no longer has, which the target holds: not a mistake in the rules
            Pipeline again = rig.start(config);
            LiveRig.awaitState(again, "public.orders_v2", TableState.SYNCED);
            LiveRig.assertSame(again, "public.orders_v2");
            assertThat(LiveRig.awaitState(again, "public.orders", TableState.DROPPED)
                            .reason())
                    .isNotBlank();
        }
    }

    @Test
    void aHistoryModeTableWithATargetNameKeepsItsTargetTableAndItsVersionsWhenRenamed() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql("CREATE TABLE orders (id int PRIMARY KEY, v text)", "INSERT INTO orders VALUES (1, 'a'), (2, 'b')");
            UnaryOperator<PipelineBuilder> config = b -> b.include("public.*")
                    .table("public.orders", t -> t.targetName("orders_history").deleteMode(DeleteMode.HISTORY));
            Pipeline pipeline = rig.start(config);
            rig.sql(
                    "BEGIN; UPDATE orders SET v = 'a2' WHERE id = 1; ALTER TABLE orders RENAME TO orders_v2;"
                            + " UPDATE orders_v2 SET v = 'a3' WHERE id = 1; COMMIT",
                    "DELETE FROM orders_v2 WHERE id = 2");
            LiveRig.awaitState(pipeline, "public.orders_v2", TableState.SYNCED);
            pipeline.close();
            Pipeline again = rig.start(config);
            rig.sql("UPDATE orders_v2 SET v = 'a4' WHERE id = 1");
            LiveRig.caughtUp(again);
            assertThat(LiveRig.status(again, "public.orders_v2").reason()).isNull();
            assertThat(rig.target("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                    .as("one target table, its name the rules gave")
                    .containsExactly("orders_history");
            assertThat(rig.target("SELECT id || ' ' || v || ' ' || _record_is_active FROM public.orders_history"
                            + " ORDER BY id, _record_create_time, v"))
                    .as("every version, before and after the rename and the restart")
                    .containsExactly("1 a false", "1 a2 false", "1 a3 false", "1 a4 true", "2 b false");
        }
    }

    @Test
    void aRenameIsNotFollowedWhenSettingsNameTheNewNameOtherwiseAndSaysSo() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE orders (id int PRIMARY KEY, v text, secret text)",
                    "CREATE TABLE orders_v2 (id int PRIMARY KEY, v text, secret text)",
                    "CREATE TABLE items (id int PRIMARY KEY, v text)",
                    "INSERT INTO orders VALUES (1, 'a', 's')",
                    "INSERT INTO items VALUES (1, 'a')");
            RedshiftTarget target = rig.targetBuilder()
                    .valuePolicy("public.items", ValuePolicy.SET_NULL)
                    .valuePolicy("public.items_v2", ValuePolicy.TRUNCATE)
                    .build();
            Pipeline pipeline = rig.start(
                    target,
                    b -> b.include("public.*")
                            .table("public.orders", t -> t.excludeColumns("secret"))
                            .table("public.orders_v2", t -> t.mask("secret")));
            // the rules the new name has are other than the table's: it keeps them under its new name no longer
            rig.sql(
                    "DROP TABLE orders_v2",
                    "ALTER TABLE orders RENAME TO orders_v2",
                    "INSERT INTO orders_v2 VALUES (2, 'b', 't')",
                    "ALTER TABLE items RENAME TO items_v2",
                    "INSERT INTO items_v2 VALUES (2, 'b')");
            LiveRig.awaitState(pipeline, "public.orders_v2", TableState.SYNCED);
            LiveRig.awaitState(pipeline, "public.items_v2", TableState.SYNCED);
            LiveRig.assertSame(pipeline, "public.orders_v2", "public.items_v2");
            assertThat(LiveRig.status(pipeline, "public.orders").reason())
                    .contains("renamed at the source to public.orders_v2")
                    .contains("rules name its new name");
            assertThat(LiveRig.status(pipeline, "public.items").reason())
                    .contains("renamed at the source to public.items_v2")
                    .contains("otherwise than this table had");
        }
    }

    private static PipelineListener recording(List<String> transitions) {
        return new PipelineListener() {
            @Override
            public void stateChanged(PipelineState from, PipelineState to) {}

            @Override
            public void tableStateChanged(TableStatus status) {
                transitions.add(status.table() + " " + status.state());
            }
        };
    }
}

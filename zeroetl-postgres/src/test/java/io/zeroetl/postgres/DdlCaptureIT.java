package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.fakes.FakeApplier;
import io.zeroetl.fakes.Harness;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DDL arrives as events in stream order, between the right rows, with renames told from drop + add. */
class DdlCaptureIT {
    @Test
    void addDropRenameAndTypeChangesArriveInStreamOrderBetweenTheRightRows() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            f.sql("CREATE TABLE orders (id INT PRIMARY KEY, note TEXT)");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("ddl")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                f.sql(
                        "INSERT INTO orders VALUES (1, 'a')",
                        "BEGIN; ALTER TABLE orders ADD COLUMN quantity INT; INSERT INTO orders VALUES (2, 'b', 5); COMMIT",
                        "ALTER TABLE orders RENAME COLUMN quantity TO qty",
                        "INSERT INTO orders VALUES (3, 'c', 6)",
                        "ALTER TABLE orders ALTER COLUMN qty TYPE BIGINT",
                        "INSERT INTO orders VALUES (4, 'd', 7)",
                        "ALTER TABLE orders DROP COLUMN note",
                        "INSERT INTO orders VALUES (5, 8)");
                Harness.awaitCaughtUp(pipeline);
            }
        }

        List<String> sequence = StreamingIT.afterInitialCopy(applier.events()).stream()
                .filter(e -> e instanceof InsertEvent || e instanceof SchemaChangeEvent)
                .map(DdlCaptureIT::describe)
                .toList();
        assertThat(sequence)
                .containsExactly(
                        "insert 1",
                        "ALTER TABLE [id, note, quantity]",
                        "insert 2",
                        "ALTER TABLE [id, note, qty] renamed {quantity=qty}",
                        "insert 3",
                        "ALTER TABLE [id, note, qty:int8]",
                        "insert 4",
                        "ALTER TABLE [id, qty:int8]",
                        "insert 5");
    }

    @Test
    void ddlByAnOrdinaryUserWorksAndIsCaptured() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            String role = "app_" + f.db.substring(f.db.length() - 6);
            f.sql(
                    "CREATE ROLE " + role + " LOGIN PASSWORD 'app-pw'",
                    "GRANT CREATE, USAGE ON SCHEMA public TO " + role,
                    "SET ROLE " + role + "; CREATE TABLE orders (id INT PRIMARY KEY); RESET ROLE");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("appddl")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                try (var c = DriverManager.getConnection(f.pg.jdbcUrl(f.db), role, "app-pw");
                        var s = c.createStatement()) {
                    s.execute("ALTER TABLE orders ADD COLUMN note TEXT");
                    s.execute("ALTER TABLE orders RENAME COLUMN note TO remark");
                }
                Harness.awaitCaughtUp(pipeline);
            } finally {
                f.sql("DROP OWNED BY " + role, "DROP ROLE " + role);
            }
        }
        assertThat(applier.events())
                .filteredOn(SchemaChangeEvent.class::isInstance)
                .extracting(e -> ((SchemaChangeEvent) e).renamedColumns())
                .containsExactly(Map.of(), Map.of("note", "remark"));
    }

    @Test
    void aSelectedTableRenamedToANameNotSelectedEndsDroppedSayingSoInsteadOfGoingQuiet() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            f.sql("CREATE TABLE orders (id INT PRIMARY KEY)", "CREATE TABLE other (id INT PRIMARY KEY)");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.orders", "public.other")
                    .pipelineId("rentab")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                f.sql(
                        "ALTER TABLE orders RENAME TO orders_v2",
                        "INSERT INTO orders_v2 VALUES (1)",
                        "INSERT INTO other VALUES (1)");
                Harness.awaitCaughtUp(pipeline);

                assertThat(pipeline.status().table(io.zeroetl.TableId.of("public", "orders")))
                        .hasValueSatisfying(t -> {
                            assertThat(t.state()).isEqualTo(io.zeroetl.TableState.DROPPED);
                            assertThat(t.reason()).contains("renamed at the source to public.orders_v2");
                        });
                assertThat(pipeline.status()
                                .table(io.zeroetl.TableId.of("public", "other"))
                                .orElseThrow()
                                .inserts())
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void forgedMessagesFromAUserWithoutPrivilegesChangeNothingAndAreCounted() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            String role = "forger_" + f.db.substring(f.db.length() - 6);
            f.sql("CREATE TABLE orders (id INT PRIMARY KEY)", "CREATE ROLE " + role);
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("forged")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                String drop = "{\"tag\": \"DROP TABLE\", \"schema\": \"public\", \"table\": \"orders\","
                        + " \"identity\": \"d\", \"statement\": \"\", \"renames\": [], \"columns\": []}";
                f.sql(
                        "BEGIN; SET LOCAL ROLE " + role + ";"
                                + " SELECT pg_logical_emit_message(true, 'zeroetl_snapshot', 'junk');"
                                + " SELECT pg_logical_emit_message(true, 'zeroetl_ddl', '" + drop + "');"
                                + " SELECT pg_logical_emit_message(true, 'zeroetl_ddl', '" + "0".repeat(64) + ":" + drop
                                + "');"
                                + " SELECT pg_logical_emit_message(false, 'zeroetl_ddl', 'junk'); COMMIT",
                        "INSERT INTO orders VALUES (1)");
                Harness.awaitCaughtUp(pipeline);

                assertThat(pipeline.status().rejectedMessages()).isEqualTo(3);
                assertThat(pipeline.status()
                                .table(io.zeroetl.TableId.of("public", "orders"))
                                .orElseThrow()
                                .state())
                        .isEqualTo(io.zeroetl.TableState.SYNCED);
            } finally {
                f.sql("DROP ROLE " + role);
            }
        }
        assertThat(applier.events()).noneMatch(SchemaChangeEvent.class::isInstance);
        assertThat(StreamingIT.afterInitialCopy(applier.events()))
                .filteredOn(InsertEvent.class::isInstance)
                .hasSize(1);
    }

    @Test
    void aColumnAddedWithADefaultAsksTheTargetToCopyTheTableAgain() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            f.sql("CREATE TABLE orders (id INT PRIMARY KEY)", "INSERT INTO orders VALUES (1)");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("recopy")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                f.sql(
                        "ALTER TABLE orders ADD COLUMN plain INT",
                        "ALTER TABLE orders ADD COLUMN filled INT DEFAULT 42",
                        "ALTER TABLE orders ADD COLUMN nulled INT DEFAULT NULL");
                Harness.awaitCaughtUp(pipeline);
            }
        }
        assertThat(applier.events())
                .filteredOn(SchemaChangeEvent.class::isInstance)
                .extracting(e -> ((SchemaChangeEvent) e).recopy() == null
                        ? "follows"
                        : "copy again: " + ((SchemaChangeEvent) e).recopy())
                .containsExactly(
                        "follows",
                        "copy again: column filled added with a default (or identity): existing"
                                + " rows got values the change stream never carries",
                        "follows");
    }

    @Test
    void aTableThatLosesItsReplicaIdentityLeavesThePublicationSoTheApplicationsWritesGoOn() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            f.sql("CREATE TABLE orders (id INT PRIMARY KEY, v TEXT)", "INSERT INTO orders VALUES (1, 'a')");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("identity")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                f.sql(
                        "ALTER TABLE orders DROP CONSTRAINT orders_pkey",
                        "UPDATE orders SET v = 'the application still writes' WHERE id = 1",
                        "DELETE FROM orders WHERE id = 1");
                Harness.await(
                        "the table to fail",
                        () -> pipeline.status()
                                        .table(io.zeroetl.TableId.of("public", "orders"))
                                        .orElseThrow()
                                        .state()
                                == io.zeroetl.TableState.FAILED);
                assertThat(pipeline.status()
                                .table(io.zeroetl.TableId.of("public", "orders"))
                                .orElseThrow()
                                .reason())
                        .contains("no primary key");
                assertThat(f.value("SELECT count(*) FROM pg_publication_tables WHERE pubname = 'zeroetl_identity'"))
                        .isEqualTo("0");
            }
        }
    }

    @Test
    void captureCannotBeTurnedOffQuietly() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            f.sql("CREATE TABLE orders (id INT PRIMARY KEY)");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("quiet")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
            }
            // disabled by someone while the pipeline was down: the next start enables it again
            f.sql("ALTER EVENT TRIGGER zeroetl_ddl DISABLE", "ALTER EVENT TRIGGER zeroetl_drop DISABLE");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.orders")
                    .pipelineId("quiet")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                Harness.awaitCaughtUp(pipeline);
                // a session in replica mode (pg_restore, replication tools) skips ordinary event triggers
                f.sql("SET session_replication_role = replica; ALTER TABLE orders ADD COLUMN note TEXT;"
                        + " RESET session_replication_role");
                // bookkeeping that fails after a drop must not take the drop's message back with it
                f.sql(
                        "CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS"
                                + " $$BEGIN RAISE EXCEPTION 'refused'; END$$",
                        "CREATE TRIGGER refuse BEFORE DELETE ON zeroetl.ddl_tables FOR EACH ROW EXECUTE FUNCTION"
                                + " public.refuse()",
                        "DROP TABLE orders");
                Harness.awaitCaughtUp(pipeline);
            } finally {
                f.sql("DROP TRIGGER IF EXISTS refuse ON zeroetl.ddl_tables");
            }
        }
        // what ran while it was off is not known: the table is copied again, asked for in the WAL
        assertThat(applier.events())
                .filteredOn(SchemaChangeEvent.class::isInstance)
                .extracting(e -> ((SchemaChangeEvent) e).commandTag() + " "
                        + ((SchemaChangeEvent) e)
                                .after().columns().stream().map(Column::name).toList()
                        + (((SchemaChangeEvent) e).recopy() == null ? "" : " " + ((SchemaChangeEvent) e).recopy()))
                .containsExactly(
                        "CAPTURE FAILED [id] DDL capture was off (zeroetl_ddl disabled, zeroetl_drop disabled):"
                                + " schema changes made meanwhile were not seen",
                        "ALTER TABLE [id, note]",
                        "DROP TABLE []");
    }

    private static String describe(ChangeEvent e) {
        if (e instanceof InsertEvent insert) {
            return "insert " + insert.row().get(0);
        }
        SchemaChangeEvent ddl = (SchemaChangeEvent) e;
        List<String> columns = ddl.after().columns().stream()
                .map(c -> c.name() + (c.name().equals("qty") && c.type().name().equals("int8") ? ":int8" : ""))
                .toList();
        Map<String, String> renames = ddl.renamedColumns();
        return ddl.commandTag() + " " + columns + (renames.isEmpty() ? "" : " renamed " + renames);
    }
}

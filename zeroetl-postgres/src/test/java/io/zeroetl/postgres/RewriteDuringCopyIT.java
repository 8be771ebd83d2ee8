package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.Secret;
import io.zeroetl.TableId;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.postgres.internal.replication.Connections;
import io.zeroetl.postgres.internal.snapshot.CopyPlan;
import io.zeroetl.postgres.internal.snapshot.SnapshotStream;
import io.zeroetl.postgres.internal.types.PgTypes;
import io.zeroetl.spi.StreamItem;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A table rewritten (ALTER TABLE ... TYPE) or truncated after the copy's snapshot was exported and before the
 * copy locked it looks empty to that snapshot, as PostgreSQL documents for these non-MVCC-safe commands: the
 * copy must not deliver it empty but start over. (Found by the crash test: a workload's column retype landed
 * in that window and a 20,000-row table was copied as 0 rows.)
 */
class RewriteDuringCopyIT {
    private static final TableId ORDERS = TableId.of("public", "orders");

    @Test
    void aTableRewrittenAfterTheSnapshotIsNeverCopiedAsEmpty() throws Exception {
        for (String rewrite : List.of("ALTER TABLE orders ALTER COLUMN c TYPE bigint", "TRUNCATE orders")) {
            copyStartsOver(rewrite, "rewritten or truncated", "CREATE TABLE orders (id int PRIMARY KEY, c int)");
        }
    }

    @Test
    void aPartitionedTableOneOfWhosePartitionsWasTruncatedAfterTheSnapshotIsNeverCopiedWithoutItsRows()
            throws Exception {
        copyStartsOver(
                "TRUNCATE orders_1",
                "rewritten or truncated",
                "CREATE TABLE orders (id int PRIMARY KEY, c int) PARTITION BY HASH (id)",
                "CREATE TABLE orders_0 PARTITION OF orders FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
                "CREATE TABLE orders_1 PARTITION OF orders FOR VALUES WITH (MODULUS 2, REMAINDER 1)");
    }

    @Test
    void aTableRenamedAfterItsCopyWasAskedForOpensTheStreamAgainInsteadOfFailingThePipeline() throws Exception {
        copyStartsOver(
                "ALTER TABLE orders RENAME TO orders_v2",
                "no longer exists by its name",
                "CREATE TABLE orders (id int PRIMARY KEY, c int)");
    }

    /**
     * A worker never reads a table that a command waiting for the copy's locks rewrote: the workload's column
     * retype, issued while two workers read other tables, waited for the first connection's lock; the worker that
     * then came to {@code orders} queued behind it, the first connection ran out of work and ended its transaction,
     * the retype ran, and the worker read {@code orders} in the old snapshot from its new file: 0 rows, SYNCED (the
     * S3 crash test). Now each worker locks a table without waiting and checks it before reading, so the copy either
     * reads every row or starts over.
     */
    @Test
    void aRetypeWaitingForTheCopyNeverLetsAWorkerReadTheTableEmpty() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            f.sql(
                    "CREATE TABLE big (id int PRIMARY KEY, c text)",
                    "CREATE TABLE mid (id int PRIMARY KEY, c text)",
                    "CREATE TABLE orders (id int PRIMARY KEY, c int)",
                    // more than the sockets buffer: the server's COPY of each stays active while its worker waits
                    "INSERT INTO big SELECT g, repeat('b', 1000) FROM generate_series(1, 40000) g",
                    "INSERT INTO mid SELECT g, repeat('m', 1000) FROM generate_series(1, 20000) g",
                    "INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g");
            ExecutorService ddl = Executors.newSingleThreadExecutor();
            try (Connection watch = f.pg.connect(f.db)) {
                for (int attempt = 0; ; attempt++) {
                    assertThat(attempt)
                            .as("attempts to have mid read by a worker of its own")
                            .isLessThan(30);
                    Map<TableId, Integer> rows = new HashMap<>();
                    try (Connection export = f.pg.connect(f.db)) {
                        SnapshotStream copy = new SnapshotStream(
                                plan(
                                        f,
                                        export,
                                        List.of(TableId.of("public", "big"), TableId.of("public", "mid"), ORDERS),
                                        2),
                                null,
                                Map.of());
                        count(rows, copy.read(Duration.ofSeconds(1)));
                        // both workers read (big and mid; their queues fill), neither has come to orders yet
                        awaitCount(watch, "state = 'active' AND query LIKE 'COPY (SELECT%'", 2);
                        if (count(
                                        watch,
                                        "query LIKE 'COPY (SELECT%\"mid\"%' AND pid IN (SELECT pid FROM pg_locks"
                                                + " WHERE relation = 'orders'::regclass)")
                                > 0) {
                            // the first connection reads mid and comes to orders next, under its own lock: again
                            copy.close();
                            continue;
                        }
                        Future<?> retype = ddl.submit(() -> {
                            f.sql("ALTER TABLE orders ALTER COLUMN c TYPE bigint");
                            return null;
                        });
                        awaitCount(watch, "wait_event_type = 'Lock' AND query LIKE 'ALTER TABLE orders%'", 1);
                        RetriableException failed = drain(copy, rows);
                        retype.get(30, TimeUnit.SECONDS);
                        if (failed == null) {
                            assertThat(rows)
                                    .as("a finished copy holds every row")
                                    .containsEntry(ORDERS, 1000);
                        } else {
                            assertThat(failed.getMessage())
                                    .containsAnyOf("orders has a command waiting", "orders was rewritten");
                            assertThat(rows.getOrDefault(ORDERS, 0))
                                    .as("rows of orders delivered before it started over")
                                    .isZero();
                        }
                        return;
                    }
                }
            } finally {
                ddl.shutdownNow();
            }
        }
    }

    /**
     * No worker waits forever behind a command that waits for the copy's own locks: a REINDEX of an index one
     * worker's plan holds queues the other worker's plan of the table's next range, while the first worker, already
     * on a task two groups on, waits for its rows to be taken and keeps its locks; that read gives up after a bound
     * and the copy starts over.
     */
    @Test
    void aReindexWaitingForOneWorkerNeverHangsAnother() throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            f.sql(
                    "CREATE TABLE mid (id int PRIMARY KEY, c text)",
                    "CREATE TABLE orders (id int PRIMARY KEY, c text)",
                    "INSERT INTO mid SELECT g, repeat('m', 1000) FROM generate_series(1, 20000) g",
                    "INSERT INTO orders SELECT g, repeat('o', 1000) FROM generate_series(1, 60000) g",
                    "CREATE TABLE x1 (id int PRIMARY KEY)",
                    "CREATE TABLE x2 (id int PRIMARY KEY)",
                    "INSERT INTO x1 SELECT generate_series(1, 1000)",
                    "INSERT INTO x2 SELECT generate_series(1, 1000)");
            ExecutorService ddl = Executors.newSingleThreadExecutor();
            try (Connection watch = f.pg.connect(f.db);
                    Connection export = f.pg.connect(f.db)) {
                // tasks, two a group: mid whole and orders' first range (larger than mid), orders' second range and x1,
                // then x2
                SnapshotStream copy = new SnapshotStream(
                        plan(
                                f,
                                export,
                                List.of(
                                        TableId.of("public", "mid"),
                                        ORDERS,
                                        TableId.of("public", "x1"),
                                        TableId.of("public", "x2")),
                                2,
                                4_000),
                        null,
                        Map.of());
                Map<TableId, Integer> rows = new HashMap<>();
                count(rows, copy.read(Duration.ofSeconds(1)));
                awaitCount(watch, "state = 'active' AND query LIKE 'COPY (SELECT%'", 2);
                Future<?> reindex = ddl.submit(() -> {
                    f.sql("REINDEX INDEX orders_pkey");
                    return null;
                });
                awaitCount(watch, "wait_event_type = 'Lock' AND query LIKE 'REINDEX%'", 1);
                RetriableException failed = drain(copy, rows);
                reindex.get(30, TimeUnit.SECONDS);
                if (failed == null) {
                    assertThat(rows).containsEntry(ORDERS, 60000).containsEntry(TableId.of("public", "x2"), 1000);
                } else {
                    assertThat(failed).hasMessageContaining("lock timeout");
                }
            } finally {
                ddl.shutdownNow();
            }
        }
    }

    /**
     * Reads {@code copy} to its end (within a minute: it must not hang), counting its rows, and closes it;
     * {@return what made it start over, or null when it finished}
     */
    private static RetriableException drain(SnapshotStream copy, Map<TableId, Integer> rows) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (!copy.finished()) {
                assertThat(System.nanoTime()).as("the copy hangs").isLessThan(deadline);
                count(rows, copy.read(Duration.ofSeconds(1)));
            }
            return null;
        } catch (RetriableException e) {
            return e;
        } finally {
            copy.close();
        }
    }

    private static void count(Map<TableId, Integer> rows, StreamItem item) {
        if (item != null && item.event() instanceof InsertEvent insert) {
            rows.merge(insert.table(), 1, Integer::sum);
        }
    }

    private static void awaitCount(Connection c, String where, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (count(c, where) >= count) {
                return;
            }
            assertThat(System.nanoTime()).as("waited for " + where).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The sessions of the database, other than {@code c}'s, that {@code where} takes. */
    private static int count(Connection c, String where) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                        + " current_database() AND pid <> pg_backend_pid() AND " + where)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static CopyPlan plan(SourceFixture f, Connection export, List<TableId> tables, int parallelism)
            throws Exception {
        // each table one task
        return plan(f, export, tables, parallelism, 100_000);
    }

    private static CopyPlan plan(
            SourceFixture f, Connection export, List<TableId> tables, int parallelism, long blocksPerChunk)
            throws Exception {
        export.setAutoCommit(false);
        export.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        String snapshot;
        try (Statement s = export.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
            rs.next();
            snapshot = rs.getString(1);
        }
        return new CopyPlan(
                new Connections(f.pg.jdbcUrl(f.db), f.pg.user(), Secret.of(f.pg.password()), new Properties()),
                export,
                snapshot,
                Lsn.of(1),
                tables,
                parallelism,
                blocksPerChunk,
                true,
                new PgTypes(oid -> null),
                false,
                false);
    }

    /**
     * {@code rewrite} between the snapshot's export and the copy's lock of the table {@code create} makes: the copy
     * fails retriably, saying {@code why}.
     */
    private static void copyStartsOver(String rewrite, String why, String... create) throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            f.sql(create);
            f.sql("INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g");
            try (Connection export = f.pg.connect(f.db)) {
                CopyPlan plan = plan(f, export, List.of(ORDERS), 1);
                f.sql(rewrite);
                SnapshotStream copy = new SnapshotStream(plan, null, Map.of());
                assertThatThrownBy(() -> {
                            while (!copy.finished()) {
                                copy.read(Duration.ofSeconds(1));
                            }
                        })
                        .as(rewrite)
                        .isInstanceOf(RetriableException.class)
                        .hasMessageContaining(why);
                copy.close();
            }
        }
    }
}

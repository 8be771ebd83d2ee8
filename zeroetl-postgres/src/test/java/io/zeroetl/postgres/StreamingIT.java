package io.zeroetl.postgres;

import static io.zeroetl.fakes.Harness.inserted;
import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.MessageEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.fakes.FakeApplier;
import io.zeroetl.fakes.Harness;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PostgresSource through the real engine into an in-memory applier. */
class StreamingIT {
    private final SourceFixture f = new SourceFixture();
    private final FakeApplier applier = new FakeApplier();

    @AfterEach
    void dropDatabase() {
        f.close();
    }

    private Pipeline start(String id) {
        return ZeroEtl.from(f.source())
                .to(() -> applier)
                .tables("public.orders")
                .pipelineId(id)
                .flushInterval(Duration.ofMillis(100))
                .start();
    }

    @Test
    void insertsUpdatesDeletesAndTruncatesArriveInSourceOrder() throws Exception {
        f.sql("CREATE TABLE orders (id INT PRIMARY KEY, note TEXT, amount NUMERIC(10,2))");
        try (Pipeline pipeline = start("dml")) {
            // after the copy: a TRUNCATE between its snapshot and its lock would make it start over (and
            // these changes land in the new copy rather than after it)
            Harness.awaitCaughtUp(pipeline);
            f.sql(
                    "INSERT INTO orders VALUES (1, 'first', 10.50), (2, 'second', 20)",
                    "UPDATE orders SET note = 'changed' WHERE id = 1",
                    "DELETE FROM orders WHERE id = 2",
                    "TRUNCATE orders");
            Harness.awaitCaughtUp(pipeline);
        }

        List<ChangeEvent> events = afterInitialCopy(applier.events());
        assertThat(events).filteredOn(RelationEvent.class::isInstance).isNotEmpty();
        List<ChangeEvent> changes = events.stream()
                .filter(e -> e instanceof InsertEvent
                        || e instanceof UpdateEvent
                        || e instanceof DeleteEvent
                        || e instanceof TruncateEvent)
                .toList();
        assertThat(changes).hasSize(5);
        InsertEvent first = (InsertEvent) changes.get(0);
        assertThat(first.row().values()).containsExactly(1, "first", new BigDecimal("10.50"));
        UpdateEvent update = (UpdateEvent) changes.get(2);
        assertThat(update.newRow().values()).containsExactly(1, "changed", new BigDecimal("10.50"));
        assertThat(update.oldRow()).isNull();
        DeleteEvent delete = (DeleteEvent) changes.get(3);
        assertThat(delete.oldIsKeyOnly()).isTrue();
        assertThat(delete.oldRow().get(0)).isEqualTo(2);
        assertThat(((TruncateEvent) changes.get(4)).tables())
                .extracting(Object::toString)
                .containsExactly("public.orders");
    }

    /** The events after the initial copy's transaction (which comes first and ends at the first commit). */
    static List<ChangeEvent> afterInitialCopy(List<ChangeEvent> events) {
        int firstCommit = 0;
        while (!(events.get(firstCommit) instanceof CommitEvent)) {
            firstCommit++;
        }
        return events.subList(firstCommit + 1, events.size());
    }

    @Test
    void logicalMessagesArriveInTheirTransaction() throws Exception {
        f.sql("CREATE TABLE orders (id INT PRIMARY KEY)");
        try (Pipeline pipeline = start("msg")) {
            f.sql("BEGIN; INSERT INTO orders VALUES (1); SELECT pg_logical_emit_message(true, 'zeroetl_test', 'hello');"
                    + " INSERT INTO orders VALUES (2); COMMIT");
            Harness.awaitCaughtUp(pipeline);
        }
        List<ChangeEvent> events = applier.events().stream()
                .filter(e -> e instanceof InsertEvent || e instanceof MessageEvent)
                .toList();
        assertThat(events).hasSize(3);
        assertThat(events.get(1)).isInstanceOfSatisfying(MessageEvent.class, m -> {
            assertThat(m.prefix()).isEqualTo("zeroetl_test");
            assertThat(new String(m.content())).isEqualTo("hello");
            assertThat(m.transactional()).isTrue();
        });
    }

    /**
     * PostgreSQL skips, on the next start, every transaction whose commit record begins before the slot's
     * confirmed position. So while the target holds a transaction's commit unapplied, the slot must not be
     * confirmed past where that commit record begins. (It may pass the last committed batch: a keepalive
     * heard while idle, or in the middle of a transaction not yet decoded, is a position with nothing of
     * ours before it.)
     */
    @Test
    void slotConfirmedFlushNeverPassesACommitTheTargetHasNotApplied() throws Exception {
        f.sql("CREATE TABLE orders (id INT PRIMARY KEY)");
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean sawThree = new AtomicBoolean();
        AtomicReference<CommitEvent> held = new AtomicReference<>();
        applier.onEvent((i, e) -> {
            if (e instanceof InsertEvent insert && insert.row().get(0).equals(3)) {
                sawThree.set(true);
            } else if (e instanceof CommitEvent commit && sawThree.get() && held.get() == null) {
                held.set(commit);
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (Pipeline pipeline = start("ack")) {
            f.sql("INSERT INTO orders VALUES (1)", "INSERT INTO orders VALUES (2)");
            Harness.awaitCaughtUp(pipeline);
            f.sql("INSERT INTO orders VALUES (3)", "INSERT INTO orders VALUES (4)");
            Harness.await("the applier to hold the third insert's commit", () -> held.get() != null);
            for (int i = 0; i < 20; i++) {
                assertThat(f.confirmedFlush("ack"))
                        .isLessThanOrEqualTo(held.get().commitLsn());
                Thread.sleep(25);
            }
            release.countDown();
            Harness.awaitCaughtUp(pipeline);
            Harness.await("the slot to confirm the last commit", () -> {
                try {
                    return !f.confirmedFlush("ack").isBefore(applier.committed());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        assertThat(inserted(applier.events())).containsExactly("orders:1", "orders:2", "orders:3", "orders:4");
    }

    @Test
    void idleSlotKeepsAdvancingWhileOnlyOtherTablesAreWritten() throws Exception {
        f.sql("CREATE TABLE orders (id INT PRIMARY KEY)", "CREATE TABLE noise (id SERIAL PRIMARY KEY, pad TEXT)");
        try (Pipeline pipeline = start("idle")) {
            Harness.awaitCaughtUp(pipeline);
            Lsn before = f.confirmedFlush("idle");
            f.sql("INSERT INTO noise (pad) SELECT repeat('x', 500) FROM generate_series(1, 5000)");
            Lsn written = Lsn.parse(f.value("SELECT pg_current_wal_lsn()::text"));

            Harness.awaitCaughtUp(pipeline);
            Harness.await("the idle slot to move past the other table's writes", () -> {
                try {
                    return !f.confirmedFlush("idle").isBefore(written);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(f.confirmedFlush("idle")).isGreaterThan(before);
            assertThat(applier.events()).noneMatch(e -> e instanceof InsertEvent);
        }
    }

    @Test
    void heartbeatMovesAnIdleSlotAndLeavesNothingToApply() throws Exception {
        f.sql("CREATE TABLE orders (id INT PRIMARY KEY)");
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(f.pg.jdbcUrl(f.db))
                .user(f.pg.user())
                .password(f.pg.password())
                .statusInterval(Duration.ofMillis(200))
                .heartbeatInterval(Duration.ofMillis(200))
                .build();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(() -> applier)
                .tables("public.orders")
                .pipelineId("beat")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            Harness.awaitCaughtUp(pipeline);
            Lsn before = f.confirmedFlush("beat");
            Harness.await("heartbeats to move the idle slot", () -> {
                try {
                    return f.confirmedFlush("beat").isAfter(before);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        assertThat(afterInitialCopy(applier.events())).noneMatch(MessageEvent.class::isInstance);
    }

    @Test
    void aTableAddedToTheSelectionOnRestartIsCopiedThenStreamed() throws Exception {
        f.sql(
                "CREATE TABLE orders (id INT PRIMARY KEY)",
                "CREATE TABLE customers (id INT PRIMARY KEY)",
                "INSERT INTO customers VALUES (1), (2)");
        try (Pipeline pipeline = start("added")) {
            f.sql("INSERT INTO orders VALUES (1)", "INSERT INTO customers VALUES (3)");
            Harness.awaitCaughtUp(pipeline);
        }
        try (Pipeline pipeline = ZeroEtl.from(f.source())
                .to(() -> applier)
                .tables("public.orders", "public.customers")
                .pipelineId("added")
                .flushInterval(Duration.ofMillis(100))
                .start()) {
            Harness.awaitCaughtUp(pipeline);
            f.sql("INSERT INTO customers VALUES (4)");
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(inserted(applier.events()))
                .filteredOn(s -> s.startsWith("customers"))
                .containsExactly("customers:1", "customers:2", "customers:3", "customers:4");
    }

    @Test
    void restartResumesWhereTheTargetLeftOffWithoutLossOrDuplicates() throws Exception {
        f.sql("CREATE TABLE orders (id INT PRIMARY KEY)");
        try (Pipeline pipeline = start("resume")) {
            f.sql("INSERT INTO orders VALUES (1)", "INSERT INTO orders VALUES (2)");
            Harness.awaitCaughtUp(pipeline);
        }
        f.sql("INSERT INTO orders VALUES (3)", "INSERT INTO orders VALUES (4)");
        try (Pipeline pipeline = start("resume")) {
            f.sql("INSERT INTO orders VALUES (5)");
            Harness.awaitCaughtUp(pipeline);
        }
        assertThat(inserted(applier.events()))
                .containsExactly("orders:1", "orders:2", "orders:3", "orders:4", "orders:5");
    }
}

package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ErrorCode;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.fakes.FakeApplier;
import io.zeroetl.fakes.Harness;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An initial copy commits in parts, and one cut off (here: its batch fails mid-part, the way a crash or a lost
 * target connection ends it) resumes after its last committed part: the target ends equal to the source and
 * no row is copied twice; a table that changed since its copy stopped is copied whole again.
 */
class ResumableCopyIT {
    private static final TableId ORDERS = TableId.of("public", "orders");
    private static final int ROWS = 20_000;

    private final FakeApplier applier = new FakeApplier();
    private SourceFixture f;

    @BeforeEach
    void createTable() throws Exception {
        f = new SourceFixture();
        f.sql(
                "CREATE TABLE orders (id INT PRIMARY KEY, qty INT, note TEXT)",
                "INSERT INTO orders SELECT g, g % 7, repeat('n', 40 + g % 50) FROM generate_series(1, " + ROWS + ") g",
                "ANALYZE orders");
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void aCopyCutOffResumesAfterItsLastCommittedPartAndCopiesNoRowTwice() throws Exception {
        cutOffAfter(4, () -> {});
        try (Pipeline pipeline = start()) {
            Harness.awaitCaughtUp(pipeline);
            assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
            assertThat(pipeline.status().table(ORDERS))
                    .hasValueSatisfying(t -> assertThat(t.state()).isEqualTo(TableState.SYNCED));
        }
        List<ChangeEvent> events = applier.events();
        // the copy was started once, and its parts committed before the cut were not copied again
        assertThat(events.stream().filter(e -> phase(e) == SnapshotEvent.Phase.STARTED))
                .hasSize(1);
        assertThat(copiedRows(events)).isEqualTo(ROWS);
        assertThat(TargetModel.of(events).lines()).isEqualTo(sourceRows());
        assertThat(applier.copyProgress()).isEmpty();
    }

    /**
     * Rows the committed parts hold change, move to a new key, get deleted, and new ones arrive, before the copy
     * resumes: the resumed copy deletes every changed key in the target and reads those rows again as they are
     * now, so it still resumes instead of starting over.
     */
    @Test
    void rowsChangedAfterTheCopyStoppedAreReadAgainAndTheCopyStillResumes() throws Exception {
        cutOffAfter(
                4,
                () -> f.sql(
                        "UPDATE orders SET qty = -1, note = 'changed' WHERE id = 3",
                        "DELETE FROM orders WHERE id = 4",
                        "UPDATE orders SET id = 900000 WHERE id = 5",
                        "UPDATE orders SET id = 950000 WHERE id = 19999",
                        "INSERT INTO orders VALUES (900001, 1, 'new')",
                        "UPDATE orders SET qty = qty + 1 WHERE id % 500 = 0"));
        try (Pipeline pipeline = start()) {
            Harness.awaitCaughtUp(pipeline);
        }
        List<ChangeEvent> events = applier.events();
        assertThat(events.stream().filter(e -> phase(e) == SnapshotEvent.Phase.STARTED))
                .as("the copy resumed, it did not start over")
                .hasSize(1);
        assertThat(TargetModel.of(events).lines())
                .isEqualTo(sourceRows())
                .contains("3|-1|changed", "900000|6|" + "n".repeat(45))
                .doesNotContain("4|4|" + "n".repeat(44));
        assertThat(doubled(events)).as("rows loaded twice").isEmpty();
    }

    /**
     * Writes run before, through and after a copy that is cut off and resumed: updates of small and TOASTed
     * values (and of other columns, leaving a TOASTed value unchanged), deletes, new rows and rows moved to new
     * keys, in copied and in not yet copied ranges alike. The target converges to the source.
     */
    @Test
    void writesRunningThroughACopyCutOffAndResumedConverge() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger transactions = new AtomicInteger();
        Thread writer = new Thread(() -> write(writing, transactions), "writer");
        writer.start();
        try {
            Harness.await("the writer to get going", () -> transactions.get() > 20);
            cutOffAfter(4, () -> Harness.await("more writes", () -> transactions.get() > 200));
            try (Pipeline pipeline = start()) {
                Harness.await("writes after the resume", () -> transactions.get() > 400);
                writing.set(false);
                writer.join();
                Harness.awaitCaughtUp(pipeline);
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        List<ChangeEvent> events = applier.events();
        assertThat(events.stream().filter(e -> phase(e) == SnapshotEvent.Phase.STARTED))
                .as("the copy resumed, it did not start over")
                .hasSize(1);
        assertThat(TargetModel.of(events).lines()).isEqualTo(sourceRows());
        assertThat(doubled(events)).as("rows loaded twice").isEmpty();
    }

    private void write(AtomicBoolean writing, AtomicInteger transactions) {
        Random random = new Random(34);
        try (Connection c = f.pg.connect(f.db);
                Statement s = c.createStatement()) {
            int next = 100_000;
            while (writing.get()) {
                int id = 1 + random.nextInt(ROWS);
                switch (random.nextInt(6)) {
                    case 0 -> s.execute("INSERT INTO orders VALUES (" + next++ + ", 1, 'new')");
                    case 1 -> s.execute("UPDATE orders SET qty = qty + 1 WHERE id = " + id);
                    case 2 ->
                        s.execute(
                                "UPDATE orders SET note = (SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 200)) WHERE id = "
                                        + id);
                    case 3 -> s.execute("UPDATE orders SET id = " + next++ + " WHERE id = " + id);
                    case 4 -> s.execute("DELETE FROM orders WHERE id = " + id);
                    default -> s.execute("UPDATE orders SET note = 'upd' WHERE id = " + id);
                }
                transactions.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TRUNCATE cannot be mended by keys: the table is copied whole again. */
    @Test
    void aTableTruncatedAfterItsCopyStoppedIsCopiedWholeAgain() throws Exception {
        cutOffAfter(4, () -> f.sql("TRUNCATE orders", "INSERT INTO orders VALUES (7, 7, 'after the truncate')"));
        try (Pipeline pipeline = start()) {
            Harness.awaitCaughtUp(pipeline);
        }
        List<ChangeEvent> events = applier.events();
        assertThat(events.stream().filter(e -> phase(e) == SnapshotEvent.Phase.STARTED))
                .hasSize(2);
        assertThat(TargetModel.of(events).lines()).isEqualTo(sourceRows()).containsExactly("7|7|after the truncate");
    }

    /**
     * Runs the copy until the target has committed at least {@code parts} of its block ranges, then fails every
     * batch from the next one holding a part on (as a target gone away would), stops the pipeline there, runs
     * {@code meanwhile} at the source, and lets the target work again.
     */
    private void cutOffAfter(int parts, SourceAction meanwhile) throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        CountDownLatch cut = new CountDownLatch(1);
        applier.onEvent((i, e) -> {
            if (broken.get() || cut.getCount() > 0 && isPartStart(e) && rangesCommitted() >= parts) {
                broken.set(true);
                cut.countDown();
                throw new RetriableException(ErrorCode.CONNECTION, "the target went away mid-copy", null);
            }
        });
        try (Pipeline pipeline = start()) {
            assertThat(cut.await(60, TimeUnit.SECONDS))
                    .as("the copy committed " + parts + " parts")
                    .isTrue();
        }
        assertThat(rangesCommitted()).as("the target holds the copy in part").isGreaterThanOrEqualTo(parts);
        meanwhile.run();
        broken.set(false);
    }

    /** How many block ranges of orders the target's committed copy progress says it holds. */
    private long rangesCommitted() {
        String progress = applier.copyProgress().get(ORDERS);
        if (progress == null) {
            return 0;
        }
        Matcher m = Pattern.compile(" done=(\\d+) ").matcher(progress);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Something done at the source. */
    @FunctionalInterface
    private interface SourceAction {
        void run() throws Exception;
    }

    @Test
    void anUncutCopyCommitsInPartsEachSayingHowFarItStands() throws Exception {
        try (Pipeline pipeline = start()) {
            Harness.awaitCaughtUp(pipeline);
        }
        List<String> progress = applier.events().stream()
                .filter(e -> e instanceof SnapshotEvent s && s.phase() == SnapshotEvent.Phase.CHUNK)
                .map(e -> ((SnapshotEvent) e).progress())
                .toList();
        assertThat(progress).hasSizeGreaterThan(4).allSatisfy(p -> assertThat(p).startsWith("pg1 point="));
        assertThat(applier.events().stream().filter(e -> e instanceof CommitEvent))
                .as("transactions: the start and the parts")
                .hasSizeGreaterThan(4);
        assertThat(copiedRows(applier.events())).isEqualTo(ROWS);
        assertThat(TargetModel.of(applier.events()).lines()).isEqualTo(sourceRows());
    }

    private Pipeline start() {
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(f.pg.jdbcUrl(f.db))
                .user(f.pg.user())
                .password(f.pg.password())
                .snapshotParallelism(2)
                .snapshotChunkBlocks(8)
                .statusInterval(Duration.ofMillis(200))
                .build();
        return ZeroEtl.from(source)
                .to(() -> applier)
                .tables("public.orders")
                .pipelineId("resume")
                .flushInterval(Duration.ofMillis(50))
                .maxBatchBytes(64 * 1024)
                .start();
    }

    private static boolean isPartStart(ChangeEvent e) {
        return phase(e) == SnapshotEvent.Phase.CHUNK;
    }

    private static SnapshotEvent.Phase phase(ChangeEvent e) {
        return e instanceof SnapshotEvent s ? s.phase() : null;
    }

    /** Inserts of a key the target already holds (applied in order): rows loaded twice. */
    private static List<Object> doubled(List<ChangeEvent> events) {
        java.util.Set<Object> held = new java.util.HashSet<>();
        List<Object> doubled = new ArrayList<>();
        for (int index = 0; index < events.size(); index++) {
            ChangeEvent e = events.get(index);
            if (e instanceof io.zeroetl.change.TruncateEvent) {
                held.clear();
            } else if (e instanceof InsertEvent insert && !held.add(insert.row().get(0))) {
                doubled.add(insert.row().get(0));
            } else if (e instanceof io.zeroetl.change.DeleteEvent delete) {
                held.remove(delete.oldRow().get(0));
            } else if (e instanceof io.zeroetl.change.UpdateEvent update && update.oldRow() != null) {
                held.remove(update.oldRow().get(0));
                held.add(update.newRow().get(0));
            }
        }
        return doubled;
    }

    /** Rows the copy sent that the target committed: the inserts of transactions holding a copy's events. */
    private static long copiedRows(List<ChangeEvent> events) {
        long rows = 0;
        boolean inCopy = false;
        for (ChangeEvent e : events) {
            if (e instanceof SnapshotEvent) {
                inCopy = true;
            } else if (e instanceof CommitEvent) {
                inCopy = false;
            } else if (e instanceof InsertEvent && inCopy) {
                rows++;
            }
        }
        return rows;
    }

    private List<String> sourceRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = f.pg.connect(f.db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, qty, note FROM orders ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getInt(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }
}

package io.zeroetl.internal.engine;

import static io.zeroetl.fakes.Harness.CUSTOMERS;
import static io.zeroetl.fakes.Harness.ORDERS;
import static io.zeroetl.fakes.Harness.inserted;
import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchingTest {
    private final Harness h = new Harness();

    @Test
    void changesArriveInSourceOrderAcrossTablesAndTransactions() {
        h.log.insert(ORDERS, 1, 2);
        h.log.insert(CUSTOMERS, 10);
        h.log.insert(ORDERS, 3);

        try (Pipeline pipeline = h.startCaughtUp(h.pipeline())) {
            assertThat(inserted(h.applier.events()))
                    .containsExactly("orders:1", "orders:2", "customers:10", "orders:3");
            assertThat(pipeline.status().appliedPosition()).isEqualTo(h.applier.committed());
        }
    }

    @Test
    void batchClosesAtTheFirstTransactionEndReachingBatchSize() {
        for (int i = 0; i < 4; i++) {
            h.log.insert(ORDERS, 3 * i, 3 * i + 1, 3 * i + 2);
        }

        try (Pipeline ignored = h.startCaughtUp(h.pipeline().batchSize(5).flushInterval(Duration.ofSeconds(30)))) {
            assertThat(h.applier.batches()).extracting(BatchingTest::rows).containsExactly(6L, 6L);
        }
    }

    /** A target may lock a changed table for readers until its batch commits: nothing is added after the change. */
    @Test
    void batchClosesAfterATransactionThatChangesATablesDefinition() {
        h.log.insert(ORDERS, 1, 2);
        h.log.transaction(xid -> List.of(
                new SchemaChangeEvent(
                        ORDERS, "ALTER TABLE", "ALTER TABLE orders ADD COLUMN n int", FakeLog.schema(ORDERS), Map.of()),
                new InsertEvent(ORDERS, Row.of(3, "row-3"), 100)));
        h.log.insert(ORDERS, 4, 5);

        try (Pipeline ignored =
                h.startCaughtUp(h.pipeline().batchSize(1_000_000).flushInterval(Duration.ofMillis(500)))) {
            assertThat(h.applier.batches()).extracting(BatchingTest::rows).containsExactly(3L, 2L);
        }
    }

    /**
     * An applier that spends longer than the flush interval after its first event (opening a transaction,
     * waiting for a lock another pipeline on the target holds) still gathers a flush interval's worth of the
     * waiting transactions: counting that time would make every batch one transaction, and a slow target
     * slower still (two demo pipelines sharing a target fell to 2 rows/s so).
     */
    @Test
    void timeTheApplierSpendsAfterItsFirstEventDoesNotShrinkTheBatch() {
        for (int i = 0; i < 50; i++) {
            h.log.insert(ORDERS, i);
        }
        h.applier.onEvent((index, event) -> {
            if (index == 0) {
                try {
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        try (Pipeline ignored =
                h.startCaughtUp(h.pipeline().batchSize(1_000_000).flushInterval(Duration.ofMillis(250)))) {
            assertThat(rows(h.applier.batches().get(0))).as("the first batch").isEqualTo(50);
        }
    }

    @Test
    void batchClosesOnMaxBatchBytes() {
        h.log.rowSize(1000);
        for (int i = 0; i < 6; i++) {
            h.log.insert(ORDERS, i);
        }

        try (Pipeline ignored = h.startCaughtUp(
                h.pipeline().batchSize(1_000_000).maxBatchBytes(2048).flushInterval(Duration.ofSeconds(30)))) {
            assertThat(h.applier.batches())
                    .hasSize(3)
                    .allSatisfy(b -> assertThat(rows(b)).isEqualTo(2));
        }
    }

    @Test
    void batchClosesOnFlushIntervalWhenSizeLimitsAreFarAway() {
        h.log.insert(ORDERS, 1);

        try (Pipeline pipeline =
                h.startCaughtUp(h.pipeline().batchSize(1_000_000).flushInterval(Duration.ofMillis(100)))) {
            assertThat(h.applier.batches()).hasSize(1);
            h.log.insert(ORDERS, 2);
            Harness.awaitCaughtUp(pipeline);
            assertThat(h.applier.batches()).hasSize(2);
            assertThat(inserted(h.applier.batches().get(1))).containsExactly("orders:2");
        }
    }

    @Test
    void aTransactionLargerThanTheBatchSizeStaysWholeInOneBatch() {
        h.log.insert(ORDERS, 1);
        h.log.insert(ORDERS, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        h.log.insert(ORDERS, 12);

        try (Pipeline ignored = h.startCaughtUp(h.pipeline().batchSize(1))) {
            assertThat(h.applier.batches()).hasSize(3);
            for (List<ChangeEvent> batch : h.applier.batches()) {
                assertThat(batch.get(0)).isInstanceOf(BeginEvent.class);
                assertThat(batch.get(batch.size() - 1)).isInstanceOf(CommitEvent.class);
                assertThat(batch.stream().filter(BeginEvent.class::isInstance).count())
                        .isEqualTo(batch.stream()
                                .filter(CommitEvent.class::isInstance)
                                .count());
            }
            assertThat(rows(h.applier.batches().get(1))).isEqualTo(10);
        }
    }

    @Test
    void changesOfTablesNotSelectedAreNotApplied() {
        io.zeroetl.TableId audit = io.zeroetl.TableId.of("public", "audit");
        h.log.insert(audit, 1);
        h.log.insert(ORDERS, 2);

        try (Pipeline ignored = h.startCaughtUp(h.pipeline())) {
            assertThat(inserted(h.applier.events())).containsExactly("orders:2");
        }
    }

    private static long rows(List<ChangeEvent> batch) {
        return batch.stream().filter(InsertEvent.class::isInstance).count();
    }
}

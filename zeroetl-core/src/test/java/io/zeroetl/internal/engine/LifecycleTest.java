package io.zeroetl.internal.engine;

import static io.zeroetl.fakes.Harness.ORDERS;
import static io.zeroetl.fakes.Harness.inserted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.fakes.Harness;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private final Harness h = new Harness();

    @Test
    void statesMoveForwardAndListenersHearEachMove() {
        List<String> moves = new CopyOnWriteArrayList<>();
        h.log.insert(ORDERS, 1);

        Pipeline pipeline = h.startCaughtUp(h.pipeline().listener((from, to) -> moves.add(from + "->" + to)));
        assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
        pipeline.close();

        assertThat(pipeline.state()).isEqualTo(PipelineState.STOPPED);
        assertThat(moves).containsExactly("STARTING->STREAMING", "STREAMING->STOPPING", "STOPPING->STOPPED");
    }

    @Test
    void aStreamStartingWithACopyGoesThroughSnapshottingAndCountsCopiedRows() {
        List<String> moves = new CopyOnWriteArrayList<>();
        List<String> tableMoves = new CopyOnWriteArrayList<>();
        h.reader.snapshotFirst();
        h.log.snapshot(ORDERS, 1, 2, 3);
        h.log.insert(ORDERS, 4);

        try (Pipeline pipeline = h.startCaughtUp(h.pipeline().listener(new io.zeroetl.PipelineListener() {
            @Override
            public void stateChanged(PipelineState from, PipelineState to) {
                moves.add(from + "->" + to);
            }

            @Override
            public void tableStateChanged(io.zeroetl.TableStatus status) {
                tableMoves.add(status.table().table() + ":" + status.state());
            }
        }))) {
            assertThat(moves).containsExactly("STARTING->SNAPSHOTTING", "SNAPSHOTTING->STREAMING");
            assertThat(tableMoves).contains("orders:SNAPSHOTTING", "orders:SYNCED");
            assertThat(pipeline.status().table(ORDERS)).hasValueSatisfying(t -> {
                assertThat(t.copiedRows()).isEqualTo(3);
                assertThat(t.estimatedRows()).isEqualTo(3);
                assertThat(t.inserts()).isEqualTo(1);
            });
            assertThat(inserted(h.applier.events())).containsExactly("orders:1", "orders:2", "orders:3", "orders:4");
            assertThat(h.applier.batches().get(0)).last().isInstanceOf(CommitEvent.class);
        }
    }

    @Test
    void closeIsIdempotentAndReleasesTheTarget() {
        Pipeline pipeline = h.startCaughtUp(h.pipeline());

        pipeline.close();
        pipeline.close();

        assertThat(h.applier.isClosed()).isTrue();
        assertThatThrownBy(() -> pipeline.awaitCaughtUp(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeInTheMiddleOfATransactionAbandonsItAndTheNextStartAppliesItOnce() {
        h.log.insert(ORDERS, 1);
        Pipeline first = h.startCaughtUp(h.pipeline());
        h.log.openTransaction(ORDERS, 2, 3);
        Harness.await("the open transaction to be read", () -> h.reader.delivered() == 8);

        long started = System.nanoTime();
        first.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(first.state()).isEqualTo(PipelineState.STOPPED);
        assertThat(inserted(h.applier.events())).containsExactly("orders:1");

        h.log.commitOpenTransaction();
        try (Pipeline second = h.startCaughtUp(h.pipeline())) {
            assertThat(inserted(h.applier.events())).containsExactly("orders:1", "orders:2", "orders:3");
        }
    }

    /**
     * As the README says: close() commits the batch in progress when it stands between two source transactions
     * (here a whole transaction waits for a flush interval far away), rather than leaving it to the next start.
     */
    @Test
    void closeBetweenTransactionsCommitsTheBatchInProgress() {
        h.log.insert(ORDERS, 1, 2);
        Pipeline pipeline = h.pipeline().flushInterval(Duration.ofSeconds(60)).start();
        Harness.await("the transaction to be read", () -> h.reader.delivered() >= 4);
        assertThat(h.applier.committed()).as("nothing committed before close").isEqualTo(io.zeroetl.Lsn.NONE);

        pipeline.close();

        assertThat(inserted(h.applier.events())).containsExactly("orders:1", "orders:2");
        assertThat(h.applier.committed()).isNotEqualTo(io.zeroetl.Lsn.NONE);
    }

    @Test
    void threadsComeFromTheHostsFactory() {
        List<String> names = new CopyOnWriteArrayList<>();
        try (Pipeline ignored = h.startCaughtUp(h.pipeline().threadFactory(r -> {
            Thread t = new Thread(r, "host-thread-" + names.size());
            t.setDaemon(true);
            names.add(t.getName());
            return t;
        }))) {
            assertThat(names).as("applier, reader and verifier").hasSize(3);
        }
        names.clear();
        try (Pipeline ignored = h.startCaughtUp(h.pipeline()
                .verification(io.zeroetl.Verification.off())
                .threadFactory(r -> {
                    Thread t = new Thread(r, "host-thread-" + names.size());
                    t.setDaemon(true);
                    names.add(t.getName());
                    return t;
                }))) {
            assertThat(names).as("no verifier when verification is off").hasSize(2);
        }
    }

    @Test
    void statusReadsWellAndCountsPerTable() {
        h.log.insert(ORDERS, 1, 2, 3);
        try (Pipeline pipeline = h.startCaughtUp(h.pipeline())) {
            String text = pipeline.status().toString();

            assertThat(text)
                    .startsWith("STREAMING")
                    .contains("public.orders SYNCED +3 ~0 -0")
                    .contains("rows/s");
            assertThat(pipeline.status().rowsPerSecond()).isPositive();
            assertThat(pipeline.status().lagBytes()).isZero();
        }
    }
}

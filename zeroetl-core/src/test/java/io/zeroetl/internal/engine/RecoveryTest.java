package io.zeroetl.internal.engine;

import static io.zeroetl.fakes.Harness.CUSTOMERS;
import static io.zeroetl.fakes.Harness.ORDERS;
import static io.zeroetl.fakes.Harness.inserted;
import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.RetriableException;
import io.zeroetl.TableState;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.fakes.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecoveryTest {
    private final Harness h = new Harness();

    @Test
    void resumesAfterTheApplierPositionAndSkipsTransactionsTheSourceSendsAgain() {
        h.log.insert(ORDERS, 1);
        Lsn alreadyInTarget = h.log.insert(ORDERS, 2);
        h.log.insert(ORDERS, 3);
        h.applier.committedUpTo(alreadyInTarget);
        h.reader.resendFromStart();

        try (Pipeline ignored = h.startCaughtUp(h.pipeline())) {
            assertThat(h.reader.opened())
                    .first()
                    .satisfies(r -> assertThat(r.resumeAfter()).isEqualTo(alreadyInTarget));
            assertThat(inserted(h.applier.events())).containsExactly("orders:3");
        }
    }

    @Test
    void aSelectedTableWhoseCopyTheTargetNeverCommittedIsCopiedOnResume() {
        Lsn inTarget = h.log.insert(ORDERS, 1);
        h.applier.committedUpTo(inTarget);

        h.applier.copied(CUSTOMERS);
        // the fake reader only records copy requests: the table stays SNAPSHOTTING, so no awaitCaughtUp
        try (Pipeline pipeline = h.pipeline().start()) {
            Harness.await(
                    "the copy is requested", () -> !h.reader.copyRequests().isEmpty());
            assertThat(pipeline.status().table(ORDERS).orElseThrow().state()).isEqualTo(TableState.SNAPSHOTTING);
            assertThat(h.reader.copyRequests())
                    .as("a copy cut off by a crash is made again")
                    .containsExactly(ORDERS);
        }
    }

    @Test
    void aTableTheTargetRecordsAsCopiedIsNotCopiedAgain() {
        Lsn inTarget = h.log.insert(ORDERS, 1);
        h.applier.committedUpTo(inTarget).copied(ORDERS, CUSTOMERS);

        try (Pipeline ignored = h.startCaughtUp(h.pipeline())) {
            assertThat(h.reader.copyRequests()).isEmpty();
        }
    }

    @Test
    void waitingToCatchUpRidesOutASourceThatCannotBeReachedForAWhile() {
        h.log.insert(ORDERS, 1);
        try (Pipeline pipeline = h.startCaughtUp(h.pipeline())) {
            h.log.insert(ORDERS, 2);
            h.reader.positionUnreachable(3);

            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(inserted(h.applier.events())).containsExactly("orders:1", "orders:2");
        }
    }

    @Test
    void aRetryThatFailsBeforeReadingItsWholePrefixLosesNothing() {
        // a target restart: the batch fails midway, then the first retry fails at once (the server is
        // still down) having read one event of what the first attempt read
        AtomicInteger attempt = new AtomicInteger();
        h.applier.onEvent((index, event) -> {
            if (index == 0) {
                attempt.incrementAndGet();
            }
            if (attempt.get() == 1 && index == 5 || attempt.get() == 2 && index == 0) {
                throw new RetriableException(ErrorCode.CONNECTION, "the target restarts");
            }
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            h.log.insert(ORDERS, i);
            expected.add("orders:" + i);
        }

        try (Pipeline ignored = h.startCaughtUp(h.pipeline().batchSize(1000))) {
            assertThat(inserted(h.applier.events())).isEqualTo(expected);
        }
    }

    @Test
    void transientApplyFailuresAreRetriedWithoutLossOrDuplicates() {
        AtomicInteger failures = new AtomicInteger(4);
        h.applier.onEvent((index, event) -> {
            if (index == 2 && failures.getAndDecrement() > 0) {
                throw new RetriableException(ErrorCode.SERIALIZATION_CONFLICT, "1023 Serializable isolation violation");
            }
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            h.log.insert(ORDERS, i);
            expected.add("orders:" + i);
        }

        try (Pipeline pipeline = h.startCaughtUp(h.pipeline().batchSize(7))) {
            assertThat(inserted(h.applier.events())).isEqualTo(expected);
            assertThat(pipeline.status().lastError()).isEmpty();
            assertThat(h.reader.opened()).hasSize(1);
        }
    }

    @Test
    void aFailedBatchTooLargeToKeepIsReadAgainFromTheSource() {
        h.log.rowSize(4096);
        int[] ids = IntStream.range(0, 1000).toArray();
        h.log.insert(ORDERS, ids);
        AtomicInteger failures = new AtomicInteger(1);
        h.applier.onEvent((index, event) -> {
            if (index == 900 && failures.getAndDecrement() > 0) {
                throw new RetriableException(ErrorCode.CONNECTION, "target connection lost");
            }
        });

        try (Pipeline ignored =
                h.startCaughtUp(h.pipeline().maxBufferedBytes(1 << 20).maxBatchBytes(1 << 20))) {
            assertThat(h.reader.opened()).hasSize(2);
            assertThat(inserted(h.applier.events())).hasSize(1000).doesNotHaveDuplicates();
        }
    }

    @Test
    void aBrokenStreamIsReopenedAtTheTargetPosition() {
        List<Lsn> ends = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ends.add(h.log.insert(ORDERS, i));
        }
        // entries 16..19 are transaction 4 (begin, relation, insert, commit): it breaks inside it
        h.reader.breakOnceAt(17);

        try (Pipeline ignored = h.startCaughtUp(h.pipeline().batchSize(2).flushInterval(Duration.ofSeconds(30)))) {
            assertThat(h.reader.opened()).hasSize(2);
            assertThat(h.reader.opened().get(1).resumeAfter()).isEqualTo(ends.get(3));
            assertThat(inserted(h.applier.events()))
                    .containsExactlyElementsOf(
                            IntStream.range(0, 10).mapToObj(i -> "orders:" + i).toList());
        }
    }

    @Test
    void retriesRunOutIntoFailureNamingTheLastError() {
        h.applier.onEvent((index, event) -> {
            if (event instanceof InsertEvent) {
                throw new RetriableException(ErrorCode.CONNECTION, "target unreachable");
            }
        });
        h.log.insert(ORDERS, 1);

        try (Pipeline pipeline = h.pipeline().maxRetries(3).start()) {
            Harness.await("failure", () -> pipeline.state() == PipelineState.FAILED);
            assertThat(pipeline.status().failure())
                    .contains("Gave up after 3 retries")
                    .contains("target unreachable");
            assertThat(h.applier.committed()).isEqualTo(Lsn.NONE);
        }
    }
}

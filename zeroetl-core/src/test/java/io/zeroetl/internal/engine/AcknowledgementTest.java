package io.zeroetl.internal.engine;

import static io.zeroetl.fakes.Harness.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.RetriableException;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.fakes.Harness;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AcknowledgementTest {
    private final Harness h = new Harness();

    @Test
    void sourceIsToldOnlyPositionsTheTargetCommitted() {
        AtomicInteger failures = new AtomicInteger(3);
        h.applier.onEvent((index, event) -> {
            if (event instanceof InsertEvent && failures.getAndDecrement() > 0) {
                throw new RetriableException(ErrorCode.CONNECTION, "target connection lost");
            }
        });
        for (int i = 0; i < 20; i++) {
            h.log.insert(ORDERS, i);
        }

        try (Pipeline pipeline = h.startCaughtUp(h.pipeline().batchSize(3))) {
            assertThat(h.reader.violations()).isEmpty();
            assertThat(h.reader.acknowledged()).isNotEmpty().isSorted();
            assertThat(pipeline.status().confirmedPosition()).isGreaterThanOrEqualTo(h.applier.committed());
        }
        assertThat(h.reader.violations()).isEmpty();
    }

    @Test
    void nothingIsAcknowledgedWhileTheOnlyBatchFailsToCommit() {
        h.applier.onEvent((index, event) -> {
            throw new RetriableException(ErrorCode.SERIALIZATION_CONFLICT, "Serializable isolation violation");
        });
        h.log.insert(ORDERS, 1);

        try (Pipeline pipeline = h.pipeline().maxRetries(1000).start()) {
            Harness.await("a few retries", () -> pipeline.status().lastError().isPresent());
            assertThat(pipeline.awaitCaughtUp(Duration.ofMillis(300))).isFalse();
            assertThat(h.reader.acknowledged())
                    .allSatisfy(lsn -> assertThat(lsn).isEqualTo(Lsn.NONE));
        }
        assertThat(h.reader.acknowledged()).allSatisfy(lsn -> assertThat(lsn).isEqualTo(Lsn.NONE));
        assertThat(h.applier.committed()).isEqualTo(Lsn.NONE);
    }

    @Test
    void idleSlotIsAcknowledgedUpToTheSourceProgressSoItRetainsNoLog() {
        h.log.insert(ORDERS, 1);
        try (Pipeline pipeline = h.startCaughtUp(h.pipeline())) {
            Lsn applied = h.applier.committed();

            Lsn busyElsewhere = h.log.advanceWithoutChanges(1_000_000);

            Harness.awaitCaughtUp(pipeline);
            Harness.await(
                    "confirmed position to follow the source",
                    () -> !pipeline.status().confirmedPosition().isBefore(busyElsewhere));
            assertThat(h.applier.committed()).isEqualTo(applied);
            assertThat(h.reader.violations()).isEmpty();
        }
    }

    @Test
    void closeAcknowledgesTheLastCommittedPosition() {
        h.log.insert(ORDERS, 1, 2);
        Pipeline pipeline = h.startCaughtUp(h.pipeline());

        pipeline.close();

        assertThat(h.reader.acknowledged())
                .last()
                .isEqualTo(h.applier.committed().max(h.log.end()));
        assertThat(h.reader.violations()).isEmpty();
    }
}

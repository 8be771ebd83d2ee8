package io.zeroetl.internal.engine;

import static io.zeroetl.fakes.Harness.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import io.zeroetl.RetriableException;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.fakes.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code start()} returns a pipeline that runs, or throws: it never returns while an endpoint is unreachable. */
class StartTest {
    private final Harness h = new Harness();

    @Test
    void anEndpointThatStaysUnreachableFailsTheStartOnceStartTimeoutPasses() {
        h.applier.failStart(new RetriableException(ErrorCode.CONNECTION, "Connection refused: cluster:5439"));

        assertThatThrownBy(() -> h.pipeline()
                        .maxRetries(1_000)
                        .startTimeout(Duration.ofMillis(300))
                        .start())
                .isInstanceOfSatisfying(ZeroEtlException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RETRIES_EXHAUSTED);
                    assertThat(e).as("given up: not retriable").isNotInstanceOf(RetriableException.class);
                    assertThat(e.getCause()).hasMessage("Connection refused: cluster:5439");
                })
                .hasMessageContaining("could not start within 0 s (startTimeout)")
                .hasMessageContaining("Connection refused: cluster:5439. Check the host, port")
                .hasMessageNotContaining("; retrying")
                .hasMessageNotContaining("..");
        assertThat(h.applier.isClosed()).isTrue();
        assertThat(h.applier.starts()).as("retried until the timeout").hasSizeGreaterThan(1);
    }

    @Test
    void anEndpointThatComesUpWithinStartTimeoutStartsAndNoTableIsSyncedBeforeTheStreamOpens() throws Exception {
        h.log.insert(ORDERS, 1);
        h.applier.failStart(new RetriableException(ErrorCode.CONNECTION, "the cluster is resuming"));
        List<TableStatus> seen = new CopyOnWriteArrayList<>();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void stateChanged(PipelineState from, PipelineState to) {}

            @Override
            public void tableStateChanged(TableStatus status) {
                seen.add(status);
            }
        };
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> h.applier.failStart(null), 400, TimeUnit.MILLISECONDS);
            try (Pipeline pipeline = h.pipeline()
                    .maxRetries(1_000)
                    .startTimeout(Duration.ofSeconds(30))
                    .listener(listener)
                    .start()) {
                assertThat(h.applier.starts())
                        .as("start() returned only once the target answered")
                        .hasSizeGreaterThan(1);
                assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
                assertThat(pipeline.status().failure())
                        .as("the error was overcome")
                        .isNull();
                Harness.awaitCaughtUp(pipeline);
                assertThat(pipeline.status().lagMillis()).as("nothing pending").isZero();
            }
        } finally {
            later.shutdownNow();
        }
        assertThat(seen)
                .as("tables left PENDING only when the stream opened")
                .first()
                .satisfies(s -> assertThat(s.state()).isEqualTo(TableState.SYNCED));
    }

    @Test
    void aFreshPipelineIsPendingUntilItsStreamOpens() {
        TableRegistry registry = new TableRegistry(Set.of(ORDERS), TableState.PENDING, List.of());
        assertThat(registry.copying()).as("awaitCaughtUp waits for it").isTrue();
        registry.settlePending(TableState.SYNCED);
        assertThat(registry.snapshot().get(ORDERS).state()).isEqualTo(TableState.SYNCED);
        assertThat(registry.copying()).isFalse();
    }

    @Test
    void lagBytesCountFromWhereTheStreamBeganNeverFromTheStartOfTheLog() {
        Positions positions = new Positions();
        positions.serverEnd(Lsn.of(26_000_000));
        assertThat(positions.lagBytes())
                .as("nothing read yet: no lag known, not 26 MB")
                .isZero();
        positions.streamStarted(Lsn.of(25_900_000));
        assertThat(positions.lagBytes()).isEqualTo(100_000);
        positions.processed(Lsn.of(25_990_000));
        assertThat(positions.lagBytes()).isEqualTo(10_000);
        positions.applied(Lsn.of(26_000_000));
        assertThat(positions.lagBytes()).as("nothing pending").isZero();
    }
}

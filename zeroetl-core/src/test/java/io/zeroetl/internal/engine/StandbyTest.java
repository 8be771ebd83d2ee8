package io.zeroetl.internal.engine;

import static io.zeroetl.fakes.Harness.ORDERS;
import static io.zeroetl.fakes.Harness.inserted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.fakes.FakeSource;
import io.zeroetl.fakes.Harness;
import io.zeroetl.spi.SourceLease;
import io.zeroetl.spi.StreamRequest;
import io.zeroetl.spi.WalReader;
import io.zeroetl.spi.WalStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several instances of one pipeline: an instance whose source lease is held elsewhere stands by, takes over
 * when it is free, and steps back to STANDBY when it loses the lease or the target refuses its commit
 * (FENCED), without failing and without applying anything twice.
 */
class StandbyTest {
    private final Harness h = new Harness();
    private final AtomicBoolean free = new AtomicBoolean();
    private final AtomicBoolean renewable = new AtomicBoolean(true);
    private final List<String> moves = new CopyOnWriteArrayList<>();

    private Pipeline start() {
        WalReader leased = new WalReader() {
            @Override
            public WalStream open(StreamRequest request) {
                return h.reader.open(request);
            }

            @Override
            public Lsn currentPosition() {
                return h.reader.currentPosition();
            }

            @Override
            public SourceLease lease(String pipelineId, Duration failoverTimeout) {
                return new TestLease();
            }
        };
        return ZeroEtl.from(new FakeSource(leased))
                .to(() -> h.applier)
                .tables(List.of(ORDERS))
                .flushInterval(Duration.ofMillis(50))
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .closeTimeout(Duration.ofSeconds(5))
                .standbyPollInterval(Duration.ofMillis(20))
                .listener((from, to) -> moves.add(from + "->" + to))
                .start();
    }

    @Test
    void anInstanceStandsByWhileAnotherHoldsTheLeaseAndTakesOverWhenItIsFree() {
        h.log.insert(ORDERS, 1);
        try (Pipeline pipeline = start()) {
            assertThat(pipeline.state()).isEqualTo(PipelineState.STANDBY);
            assertThat(h.applier.starts())
                    .as("a standby does not touch the target")
                    .isEmpty();
            assertThat(h.reader.opened()).as("nor the stream").isEmpty();
            assertThatThrownBy(() -> pipeline.resync("public.orders"))
                    .as("a standby cannot copy a table: the active instance must")
                    .hasMessageContaining("stands by")
                    .hasMessageContaining("call resync on the active instance");

            free.set(true);
            Harness.awaitCaughtUp(pipeline);

            assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
            assertThat(inserted(h.applier.events())).containsExactly("orders:1");
            assertThat(moves).startsWith("STARTING->STANDBY", "STANDBY->STREAMING");
        }
    }

    @Test
    void losingTheLeaseStepsDownAndTheNextTakeoverResumesFromTheTargetsPosition() {
        free.set(true);
        h.log.insert(ORDERS, 1);
        try (Pipeline pipeline = start()) {
            Harness.awaitCaughtUp(pipeline);

            renewable.set(false);
            free.set(false);
            Harness.await("stepping down", () -> pipeline.state() == PipelineState.STANDBY);
            h.log.insert(ORDERS, 2);
            renewable.set(true);
            free.set(true);
            Harness.awaitCaughtUp(pipeline);

            assertThat(inserted(h.applier.events())).containsExactly("orders:1", "orders:2");
            assertThat(h.applier.starts())
                    .as("each takeover asks the target again where it stands")
                    .hasSize(2);
            assertThat(pipeline.status().failure()).isNull();
        }
    }

    @Test
    void aCommitTheTargetRefusesAsFencedStepsDownInsteadOfFailing() {
        free.set(true);
        AtomicInteger fenced = new AtomicInteger();
        h.applier.onEvent((index, event) -> {
            if (event instanceof InsertEvent && fenced.getAndIncrement() == 0) {
                free.set(false);
                throw new ZeroEtlException(ErrorCode.FENCED, "another instance claimed the pipeline");
            }
        });
        h.log.insert(ORDERS, 1);
        try (Pipeline pipeline = start()) {
            Harness.await("stepping down", () -> moves.contains("STREAMING->STANDBY"));
            assertThat(pipeline.state()).isNotEqualTo(PipelineState.FAILED);
            free.set(true);
            Harness.awaitCaughtUp(pipeline);

            assertThat(inserted(h.applier.events())).containsExactly("orders:1");
        }
    }

    /** A lease the test frees and takes away. */
    private final class TestLease implements SourceLease {
        private boolean held;

        @Override
        public synchronized boolean tryAcquire() {
            held = held || free.get();
            return held;
        }

        @Override
        public synchronized boolean renew() {
            held = held && renewable.get();
            return held;
        }

        @Override
        public boolean exclusive() {
            return true;
        }

        @Override
        public String holder() {
            return "another test instance";
        }

        @Override
        public Duration renewInterval() {
            return Duration.ofMillis(10);
        }

        @Override
        public synchronized void close() {
            held = false;
        }
    }
}

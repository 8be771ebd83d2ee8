package io.zeroetl.micrometer;

import static io.zeroetl.fakes.Harness.CUSTOMERS;
import static io.zeroetl.fakes.Harness.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zeroetl.Drift;
import io.zeroetl.DriftAction;
import io.zeroetl.ErrorCode;
import io.zeroetl.Pipeline;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.fakes.Harness;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The meters a service exports follow the pipeline: changes by table and operation, batches, lag, retries. */
class ZeroEtlMetricsTest {
    private final Harness h = new Harness();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void changesBatchesStatesAndRetriesAreMeasured() {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        h.applier.onEvent((index, event) -> {
            if (event instanceof InsertEvent && failOnce.getAndSet(false)) {
                throw new RetriableException(ErrorCode.CONNECTION, "target connection lost");
            }
        });
        h.log.insert(ORDERS, 1);
        h.log.insert(ORDERS, 2);
        h.log.insert(CUSTOMERS, 3);
        ZeroEtlMetrics metrics = new ZeroEtlMetrics(Tags.of("pipeline", "shop"));
        metrics.bindTo(registry);
        assertThat(registry.get("zeroetl.lag.bytes").gauge().value())
                .as("no pipeline watched yet")
                .isNaN();
        assertThat(registry.get("zeroetl.retries").counters())
                .as("a series per retriable code, at zero before any retry")
                .extracting(c -> c.getId().getTag("code"))
                .containsExactlyInAnyOrder("connection", "timeout", "serialization_conflict", "resource_busy");
        assertThat(registry.get("zeroetl.retries").counters())
                .allSatisfy(c -> assertThat(c.count()).isZero());

        try (Pipeline pipeline = h.pipeline().listener(metrics).start()) {
            metrics.watch(pipeline);
            Harness.awaitCaughtUp(pipeline);
            Harness.await("the counters' status refreshed", () -> applied("public.orders", "insert") == 2);

            assertThat(applied("public.customers", "insert")).isEqualTo(1);
            assertThat(applied("public.orders", "delete")).isZero();
            assertThat(registry.get("zeroetl.batch")
                            .tag("pipeline", "shop")
                            .timer()
                            .count())
                    .isPositive();
            assertThat(registry.get("zeroetl.batch.rows").summary().totalAmount())
                    .isEqualTo(3);
            assertThat(registry.get("zeroetl.retries")
                            .tag("code", "connection")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("zeroetl.tables")
                            .tag("state", "synced")
                            .gauge()
                            .value())
                    .isEqualTo(2);
            assertThat(registry.get("zeroetl.state")
                            .tag("state", "streaming")
                            .gauge()
                            .value())
                    .isEqualTo(1);
            assertThat(registry.get("zeroetl.state")
                            .tag("state", "failed")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(registry.get("zeroetl.lag").timeGauge().value(TimeUnit.MILLISECONDS))
                    .isZero();
            assertThat(registry.get("zeroetl.lag.bytes").gauge().value()).isZero();
            assertThat(registry.get("zeroetl.source.warnings").gauge().value()).isZero();
            h.reader.warn("slot zeroetl_zeroetl holds more WAL than max_slot_wal_keep_size allows");
            Harness.await(
                    "the warning counted",
                    () -> registry.get("zeroetl.source.warnings").gauge().value() == 1);
            assertThat(pipeline.status().sourceWarnings())
                    .containsExactly("slot zeroetl_zeroetl holds more WAL than max_slot_wal_keep_size allows");
            assertThat(pipeline.status().toString()).contains("source: slot zeroetl_zeroetl holds more WAL");
        }
    }

    @Test
    void driftIsCountedPerTableFromItsFirstDriftAndVerificationLagIsAGauge() {
        ZeroEtlMetrics metrics = new ZeroEtlMetrics(Tags.of("pipeline", "shop"));
        metrics.bindTo(registry);
        assertThat(registry.find("zeroetl.drift.rows").counters())
                .as("no series before a drift")
                .isEmpty();
        assertThat(registry.get("zeroetl.verify.lag").timeGauge().value())
                .as("no pipeline watched")
                .isNaN();

        metrics.driftFound(new Drift(
                TableId.parse("public.orders"), 3, false, List.of(), Instant.now(), DriftAction.HEAL, "copied again"));
        metrics.driftFound(new Drift(
                TableId.parse("public.orders"), 2, true, List.of(), Instant.now(), DriftAction.HEAL, "copied again"));

        assertThat(registry.get("zeroetl.drift.rows")
                        .tag("pipeline", "shop")
                        .tag("table", "public.orders")
                        .counter()
                        .count())
                .isEqualTo(5);
        try (Pipeline pipeline = h.pipeline().listener(metrics).start()) {
            metrics.watch(pipeline);
            Harness.awaitCaughtUp(pipeline);
            assertThat(registry.get("zeroetl.verify.lag").timeGauge().value()).isNotNaN();
            assertThat(registry.get("zeroetl.verify.rows").functionCounter().count())
                    .isZero();
        }
    }

    private double applied(String table, String operation) {
        return registry.get("zeroetl.changes.applied")
                .tag("table", table)
                .tag("operation", operation)
                .functionCounter()
                .count();
    }
}

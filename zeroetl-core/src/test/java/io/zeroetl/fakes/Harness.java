package io.zeroetl.fakes;

import io.zeroetl.Pipeline;
import io.zeroetl.PipelineBuilder;
import io.zeroetl.TableId;
import io.zeroetl.Target;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.InsertEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** A fake log, reader, decoder and applier wired into a pipeline with quick timings. */
public final class Harness {
    public static final TableId ORDERS = TableId.of("public", "orders");
    public static final TableId CUSTOMERS = TableId.of("public", "customers");

    public final FakeLog log = new FakeLog();
    public final FakeApplier applier = new FakeApplier();
    public final FakeReader reader = new FakeReader(log, applier::committed);
    private final FakeSource source = new FakeSource(reader);

    /** The fake source. */
    public FakeSource pipelineSource() {
        return source;
    }

    /** A builder for a pipeline over ORDERS and CUSTOMERS with short intervals. */
    public PipelineBuilder pipeline() {
        Target target = () -> applier;
        return ZeroEtl.from(source)
                .to(target)
                .tables(List.of(ORDERS, CUSTOMERS))
                .flushInterval(Duration.ofMillis(50))
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .closeTimeout(Duration.ofSeconds(5));
    }

    /** Starts with defaults, waits until caught up. */
    public Pipeline startCaughtUp(PipelineBuilder builder) {
        Pipeline pipeline = builder.start();
        awaitCaughtUp(pipeline);
        return pipeline;
    }

    /** Asserts (by failing) that the pipeline catches up within 10 s. */
    public static void awaitCaughtUp(Pipeline pipeline) {
        if (!pipeline.awaitCaughtUp(Duration.ofSeconds(10))) {
            throw new AssertionError("not caught up within 10 s: " + pipeline.status());
        }
    }

    /** Waits up to 10 s for {@code condition}. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** The ids inserted, in applied order, as "table:id". */
    public static List<String> inserted(List<ChangeEvent> events) {
        return events.stream()
                .filter(InsertEvent.class::isInstance)
                .map(InsertEvent.class::cast)
                .map(e -> e.table().table() + ":" + e.row().get(0))
                .collect(Collectors.toList());
    }
}

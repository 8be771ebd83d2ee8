package io.zeroetl.examples;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.micrometer.ZeroEtlMetrics;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Example: zeroetl embedded in a plain application that runs until the process is told to stop (SIGTERM,
 * Ctrl-C). The shutdown hook closes the pipeline, which finishes or abandons the batch in progress,
 * acknowledges what was committed, and closes its connections before the JVM exits. Its meters go to a
 * Micrometer registry (a service would bind its Prometheus or CloudWatch registry the same way) and are
 * printed on the way out.
 *
 * <pre>{@code
 * java -cp ... io.zeroetl.examples.EmbeddedApp <pg-url> <pg-user> <pg-password> <rs-url> <rs-user> <rs-password> <table>
 * }</pre>
 */
public final class EmbeddedApp {
    private EmbeddedApp() {}

    public static void main(String[] args) throws InterruptedException {
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(args[0])
                .user(args[1])
                .password(args[2])
                .build();
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(args[3])
                .user(args[4])
                .password(args[5])
                .build();
        MeterRegistry registry = new SimpleMeterRegistry();
        ZeroEtlMetrics metrics = new ZeroEtlMetrics(Tags.of("pipeline", "app"));
        metrics.bindTo(registry);
        Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables(args[6])
                .pipelineId("app")
                .flushInterval(Duration.ofMillis(200))
                .listener(metrics)
                .start();
        metrics.watch(pipeline);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            pipeline.close();
                            source.close();
                            System.out.println("stopped cleanly: " + pipeline.state());
                            for (Meter meter : registry.getMeters()) {
                                System.out.println("metric " + meter.getId().getName()
                                        + meter.getId().getTags() + " " + meter.measure());
                            }
                            stopped.countDown();
                        },
                        "app-shutdown"));
        System.out.println("replicating " + args[6] + ": " + pipeline.state());
        stopped.await();
    }
}

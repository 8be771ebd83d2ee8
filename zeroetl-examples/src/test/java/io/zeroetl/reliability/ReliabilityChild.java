package io.zeroetl.reliability;

import io.zeroetl.DeleteMode;
import io.zeroetl.Drift;
import io.zeroetl.DriftAction;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineBuilder;
import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import io.zeroetl.TableStatus;
import io.zeroetl.Verification;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.S3Staging;
import io.zeroetl.redshift.ValuePolicy;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The pipeline process of the reliability suite, configured by a properties file (the first argument).
 * It prints STARTED, every table state change and its status every second, so the suite can scan all it
 * prints; when the {@code stop} file appears it waits until it caught up, prints CAUGHT_UP and closes.
 * The suite kills it at will.
 */
public final class ReliabilityChild {
    private ReliabilityChild() {}

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            p.load(r);
        }
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(p.getProperty("source.url"))
                .user(p.getProperty("source.user"))
                .password(p.getProperty("source.password"))
                .statusInterval(Duration.ofSeconds(1))
                .snapshotChunkBlocks(Long.parseLong(p.getProperty("chunkBlocks", "4096")))
                .build();
        RedshiftTarget.Builder target = RedshiftTarget.builder()
                .jdbcUrl(p.getProperty("target.url"))
                .user(p.getProperty("target.user"))
                .password(p.getProperty("target.password"))
                .ssl(false);
        if (p.containsKey("target.socketTimeout")) {
            target.property("socketTimeout", p.getProperty("target.socketTimeout"));
        }
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith("policy.")) {
                target.valuePolicy(name.substring("policy.".length()), ValuePolicy.valueOf(p.getProperty(name)));
            }
        }
        if (Boolean.parseBoolean(p.getProperty("s3", "false"))) {
            target.s3Staging(S3Staging.builder()
                    .bucket(p.getProperty("s3.bucket"))
                    .endpoint(URI.create(p.getProperty("s3.endpoint")))
                    .credentials(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(p.getProperty("s3.key"), p.getProperty("s3.secret"))))
                    .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                    .threshold(Integer.parseInt(p.getProperty("s3.threshold", "100")))
                    .partBytes(1 << 20)
                    .build());
        }
        PipelineBuilder builder = ZeroEtl.from(source)
                .to(target.build())
                .include(list(p, "include"))
                .pipelineId(p.getProperty("pipeline", "reliability"))
                .flushInterval(Duration.ofMillis(Long.parseLong(p.getProperty("flushMs", "200"))))
                .batchSize(Integer.parseInt(p.getProperty("batchSize", "2000")))
                .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .maxRetries(1000)
                .failoverTimeout(Duration.ofMillis(Long.parseLong(p.getProperty("failoverMs", "10000"))))
                // a drift is reported, not healed: the final validation then sees a lasting one, and the test fails on
                // one it does not confirm (a false alarm, or a divergence something later covered up)
                .verification((Long.parseLong(p.getProperty("verifyMs", "0")) > 0
                                ? Verification.every(Duration.ofMillis(Long.parseLong(p.getProperty("verifyMs"))))
                                : Verification.DEFAULT)
                        .onDrift(DriftAction.REPORT))
                .listener(new Printer());
        if (!p.getProperty("exclude", "").isEmpty()) {
            builder.exclude(list(p, "exclude"));
        }
        for (String table : list(p, "history")) {
            if (!table.isEmpty()) {
                builder.table(table, t -> t.deleteMode(DeleteMode.HISTORY));
            }
        }
        Path stop = Path.of(p.getProperty("stop"));
        try (Pipeline pipeline = builder.start()) {
            System.out.println("STARTED " + pipeline.state());
            while (!Files.exists(stop)) {
                pipeline.awaitCaughtUp(Duration.ofSeconds(1));
                System.out.println("STATUS " + pipeline.status());
            }
            boolean caughtUp = pipeline.awaitCaughtUp(Duration.ofMinutes(10));
            System.out.println("STATUS " + pipeline.status());
            System.out.println(caughtUp ? "CAUGHT_UP" : "NOT_CAUGHT_UP");
        } catch (RuntimeException e) {
            System.out.println("PIPELINE_FAILED " + e);
            e.printStackTrace(System.out);
            System.exit(3);
        } finally {
            source.close();
        }
        System.out.println("STOPPED");
        System.exit(0);
    }

    private static String[] list(Properties p, String name) {
        return Arrays.stream(p.getProperty(name, "").split("\u001e"))
                .map(String::trim)
                .toArray(String[]::new);
    }

    /** Prints the pipeline's and the tables' state changes. */
    private static final class Printer implements PipelineListener {
        @Override
        public void stateChanged(PipelineState from, PipelineState to) {
            System.out.println("STATE " + from + " -> " + to);
        }

        @Override
        public void tableStateChanged(TableStatus status) {
            System.out.println("TABLE " + status.table() + " " + status.state()
                    + status.failureReason().map(r -> " " + r).orElse(""));
        }

        @Override
        public void driftFound(Drift drift) {
            System.out.println("DRIFT " + drift);
        }
    }
}

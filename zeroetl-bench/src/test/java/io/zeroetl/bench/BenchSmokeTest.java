package io.zeroetl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the harness compiling and runnable: every benchmark on a tiny workload, the report and charts written. */
class BenchSmokeTest {
    @Test
    void everyBenchmarkRunsOnATinyWorkloadAndTheReportHasEveryRow(@TempDir Path out) throws Exception {
        System.setProperty("java.awt.headless", "true");
        // the tiny workload's batches are far below the default threshold: stage every one through S3
        System.setProperty("bench.s3Threshold", "0");
        List<Decode.Result> decode = Decode.run(true);
        assertThat(decode).hasSize(4).allSatisfy(d -> assertThat(d.perSecond()).isPositive());
        try (Env env = new Env()) {
            ReadDecode.Result read = ReadDecode.run(env, 3_000);
            EndToEnd.Result e2e = EndToEnd.run(env, 3_000);
            List<Latency.Result> latency =
                    List.of(Latency.run(env, Duration.ofMillis(250), 2), Latency.run(env, Duration.ofSeconds(1), 2));
            Snapshot.Result snapshot = Snapshot.run(env, 20_000);
            Memory.Result memory = Memory.run(env, 20_000);
            Validate.Result validation = Validate.run(env, 20_000);
            Validate.Result documents = Validate.runDocuments(env, 2_000);
            VerifyCost.Result verify = VerifyCost.run(env, 2_000, 3, 10, 30);
            List<Spread.Result> spread = Spread.run(env, 60, 3);
            List<Pipelines.Result> sharing = Pipelines.run(env, 200, 2);
            Charts.throughput(out.resolve("throughput.png").toFile(), e2e);
            Charts.latency(out.resolve("latency.png").toFile(), latency);
            String report = BenchMain.report(
                    decode, read, e2e, latency, snapshot, memory, validation, documents, verify, spread, sharing, 1);

            assertThat(read.changes()).isGreaterThanOrEqualTo(3_000);
            assertThat(read.debeziumError())
                    .as("Debezium's embedded engine ran")
                    .isNull();
            assertThat(read.rawSeconds())
                    .as("the bare pgjdbc stream read to the end")
                    .isPositive();
            assertThat(e2e.runs())
                    .as("zeroetl's end-to-end targets validate clean, staged every way")
                    .hasSize(Env.Loader.values().length)
                    .allSatisfy(run -> assertThat(run.validated()).isTrue());
            assertThat(e2e.run(Env.Loader.S3).s3Bytes())
                    .as("the S3 run staged through S3")
                    .isPositive();
            assertThat(e2e.debeziumError()).as("Debezium + JDBC sink ran").isNull();
            assertThat(memory.error()).isNull();
            assertThat(validation.clean()).isTrue();
            assertThat(documents.clean())
                    .as("documents and arrays validate clean")
                    .isTrue();
            assertThat(latency).allSatisfy(l -> assertThat(l.commits()).isPositive());
            assertThat(verify.steadyOn().drifts())
                    .as("no drift while verifying")
                    .isZero();
            assertThat(verify.saturatedOff().appliedPerSecond()).isPositive();
            assertThat(spread)
                    .as("spread-out batches counted through both loaders")
                    .hasSize(2)
                    .allSatisfy(s -> {
                        assertThat(s.batches()).isPositive();
                        assertThat(s.ddlPerBatch()).isZero();
                        assertThat(s.statementsPerTouchedTable()).isPositive();
                    });
            assertThat(sharing)
                    .as("two pipelines into one target under each isolation level")
                    .hasSize(2)
                    .allSatisfy(p -> assertThat(p.changesPerSecond()).isPositive());
            assertThat(report)
                    .contains(
                            "| 1 |",
                            "| 2a |",
                            "| 2b |",
                            "| 2c |",
                            "| 2d |",
                            "| 2e |",
                            "| 3a |",
                            "| 3a' |",
                            "| 3d |",
                            "| 3e |",
                            "| 3b |",
                            "| 3c |",
                            "| 4 |",
                            "| 5 |",
                            "| 6 |",
                            "| 7 |",
                            "| 7b |",
                            "| 8a |",
                            "| 8b |",
                            "| 9 |",
                            "| 10 |",
                            "Where the time goes",
                            "emulator's PostgreSQL (target SQL)");
            assertThat(Files.size(out.resolve("throughput.png"))).isPositive();
            assertThat(Files.size(out.resolve("latency.png"))).isPositive();
        }
    }
}

package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The demo, run as a newcomer would, against servers named by its environment variables. */
class DemoIT {
    @Test
    void theEmbeddedDemoStagesThroughS3AndEndsWithMatchingTotals() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Ddemo.seconds=2",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Demo.class.getName())
                .redirectErrorStream(true);
        builder.environment().remove("ZEROETL_SOURCE_URL");
        builder.environment().remove("ZEROETL_TARGET_URL");
        Process demo = builder.start();
        String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(demo.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(demo.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("stage through S3 + COPY")
                .contains("Initial copy: 2 of about")
                .contains("Source and target match");
        assertThat(output)
                .as("status as whole lines, not carriage-return updates, when not on a terminal")
                .doesNotContain("\r")
                .containsPattern("(?m)^  (STREAMING|SNAPSHOTTING) .* rows/s  lag .*$");
    }

    @Test
    void demoAgainstEndpointsFromTheEnvironmentEndsWithMatchingTotalsAndExitZero() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (RedshiftEmulator redshift = RedshiftEmulator.start()) {
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Ddemo.seconds=2",
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Demo.class.getName())
                    .redirectErrorStream(true);
            builder.environment().put("ZEROETL_SOURCE_URL", pg.jdbcUrl(db));
            builder.environment().put("ZEROETL_SOURCE_USER", pg.user());
            builder.environment().put("ZEROETL_SOURCE_PASSWORD", pg.password());
            builder.environment().put("ZEROETL_TARGET_URL", redshift.jdbcUrl());
            builder.environment().put("ZEROETL_TARGET_USER", redshift.user());
            builder.environment().put("ZEROETL_TARGET_PASSWORD", redshift.password());
            Process demo = builder.start();
            String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(demo.waitFor(120, TimeUnit.SECONDS)).isTrue();

            assertThat(demo.exitValue()).as(output).isZero();
            assertThat(output)
                    .contains("zeroetl_demo.orders")
                    .contains("Source and target match")
                    .doesNotContain(pg.password())
                    .doesNotContain(redshift.password());
            assertThat(redshift.rejectedStatements()).isEmpty();
        } finally {
            pg.dropDatabase(db);
        }
    }
}

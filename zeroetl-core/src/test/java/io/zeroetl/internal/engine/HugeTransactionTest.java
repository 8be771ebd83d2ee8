package io.zeroetl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Memory is bounded by configuration, not by transaction size. */
class HugeTransactionTest {
    @Test
    void fiveMillionRowTransactionPassesThroughA256MbHeapOnceAndInOrder() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(
                        java.toString(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        HugeTransactionRun.class.getName(),
                        "5000000"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = child.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }

        assertThat(finished).as("child finished").isTrue();
        assertThat(output)
                .as(output)
                .contains("RESULT rows=5000000 inOrder=true batches=1")
                .doesNotContain("OutOfMemoryError");
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(File.pathSeparator).isNotEmpty();
    }
}

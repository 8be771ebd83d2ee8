package io.zeroetl.testing.internal.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named pipe a COPY's records stream through, read here as PostgreSQL's COPY reads it. */
class PendingCopyTest {
    @TempDir
    Path dir;

    private ExecutorService writers;

    @BeforeEach
    void writers() {
        writers = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() {
        writers.shutdownNow();
    }

    @Test
    void aCopyThatLoadsEverythingEndsWithItsLastRecord() throws Exception {
        Path fifo = fifo(1);
        PendingCopy p = PendingCopy.streamed(1, null, fifo, "s3://b/k", out -> out.write("1,a\n2,b\n"), writers);

        assertThat(new String(Files.readAllBytes(fifo), StandardCharsets.UTF_8)).isEqualTo("1,a\n2,b\n");
        assertThat(p.failure()).isNull();
        p.answered();
        assertThat(fifo).doesNotExist();
    }

    /**
     * A record that fails the COPY after whole lines went out ends the pipe with a NUL, which PostgreSQL refuses
     * wherever it falls: without it those lines would be a COPY that succeeds with part of the rows.
     */
    @Test
    void aCopyThatFailsAfterWholeLinesEndsItsPipeWithANul() throws Exception {
        Path fifo = fifo(2);
        PendingCopy p = PendingCopy.streamed(
                2,
                null,
                fifo,
                "s3://b/k",
                out -> {
                    out.write("1,a\n2,b\n");
                    out.flush();
                    throw new Rejected(Rejected.INTERNAL, "Load into table 't' failed.");
                },
                writers);

        assertThat(new String(Files.readAllBytes(fifo), StandardCharsets.UTF_8)).isEqualTo("1,a\n2,b\n\0");
        assertThat(p.failure()).hasMessage("Load into table 't' failed.");
    }

    /** A statement answered before anything opened its pipe lets the writer go and takes the pipe's name away. */
    @Test
    void aPipeNobodyOpensIsReleasedWhenItsStatementIsAnswered() throws Exception {
        Path fifo = fifo(3);
        PendingCopy p = PendingCopy.streamed(3, null, fifo, "s3://b/k", out -> out.write("1,a\n"), writers);

        p.answered();

        assertThat(fifo).doesNotExist();
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS))
                .as("the writer ended")
                .isTrue();
    }

    private Path fifo(int copyId) {
        Path fifo = PendingCopy.fifo(dir, copyId);
        assumeTrue(fifo != null, "this system makes no named pipes");
        return fifo;
    }
}

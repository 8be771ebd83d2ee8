package io.zeroetl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.PipelineState;
import io.zeroetl.Verification;
import io.zeroetl.fakes.Harness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Continuous verification where it cannot compare: said once in the status, and the pipeline runs on. */
class VerifierTest {
    private final Harness h = new Harness();

    @Test
    void aSourceThatOffersNoDigestsIsToldOnceInTheStatusAndThePipelineStreamsOn() {
        try (Pipeline pipeline =
                h.startCaughtUp(h.pipeline().verification(Verification.every(Duration.ofMillis(200))))) {
            Harness.await(
                    "verification said unavailable",
                    () -> pipeline.status().verification().unavailable() != null);

            assertThat(pipeline.status().verification().unavailable()).contains("cannot be validated");
            assertThat(pipeline.status().toString()).contains("verification unavailable");
            assertThat(pipeline.status().verification().lag()).isZero();
            assertThat(pipeline.state()).isEqualTo(PipelineState.STREAMING);
        }
    }

    @Test
    void offMeansNoVerificationAtAll() {
        try (Pipeline pipeline = h.startCaughtUp(h.pipeline().verification(Verification.off()))) {
            assertThat(pipeline.status().verification().settings().enabled()).isFalse();
            assertThat(pipeline.status().toString()).doesNotContain("verif");
        }
    }
}

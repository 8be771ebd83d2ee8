package io.zeroetl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.fakes.Harness;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PipelineBuilderTest {
    private final Harness h = new Harness();

    @Test
    void eachOptionRejectsBadValuesNamingTheOption() {
        rejects(b -> b.batchSize(0), "batchSize");
        rejects(b -> b.maxBatchBytes(10), "maxBatchBytes");
        rejects(b -> b.flushInterval(Duration.ZERO), "flushInterval");
        rejects(b -> b.maxBufferedBytes(1000), "maxBufferedBytes");
        rejects(b -> b.maxRetries(-1), "maxRetries");
        rejects(b -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)), "retryBackoff");
        rejects(b -> b.closeTimeout(Duration.ofSeconds(-1)), "closeTimeout");
        rejects(b -> b.pipelineId("Orders Pipeline"), "pipelineId");
        rejects(b -> b.tables("orders"), "tables");
    }

    @Test
    void startWithoutTablesSaysHowToNameThem() {
        assertThatThrownBy(() ->
                        ZeroEtl.from(h.pipelineSource()).to(() -> h.applier).start())
                .isInstanceOf(ZeroEtlException.class)
                .hasMessageContaining("tables: name at least one table")
                .satisfies(e -> assertThat(((ZeroEtlException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
    }

    @Test
    void fromAndToRejectNull() {
        assertThatThrownBy(() -> ZeroEtl.from(null)).hasMessageContaining("from");
        assertThatThrownBy(() -> ZeroEtl.from(h.pipelineSource()).to(null)).hasMessageContaining("to");
    }

    private void rejects(Consumer<PipelineBuilder> option, String name) {
        assertThatThrownBy(() -> option.accept(h.pipeline()))
                .isInstanceOf(ZeroEtlException.class)
                .hasMessageStartingWith(name + ":")
                .satisfies(e -> assertThat(((ZeroEtlException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
}

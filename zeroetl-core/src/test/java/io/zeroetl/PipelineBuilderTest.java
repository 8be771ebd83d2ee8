package io.zeroetl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.fakes.Harness;
import io.zeroetl.spi.ChangeApplier;
import java.time.Duration;
import java.util.Locale;
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
        rejects(b -> b.startTimeout(Duration.ZERO), "startTimeout");
        rejects(b -> b.failoverTimeout(Duration.ofMillis(999)), "failoverTimeout");
        rejects(b -> b.standbyPollInterval(Duration.ofMillis(-1)), "standbyPollInterval");
        rejects(b -> b.flushInterval(Duration.ofHours(2)), "flushInterval");
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
    void twoTablesWhoseTargetNamesTheTargetTakesForOneAreRefusedAtStart() {
        Target lowerCasing = new Target() {
            @Override
            public ChangeApplier applier() {
                return h.applier;
            }

            @Override
            public String foldName(String name) {
                return name.toLowerCase(Locale.ROOT);
            }
        };

        assertThatThrownBy(() -> ZeroEtl.from(h.pipelineSource())
                        .to(lowerCasing)
                        .tables("public.orders")
                        .table("public.legacy_orders", t -> t.targetName("Orders"))
                        .start())
                .isInstanceOf(ZeroEtlException.class)
                .hasMessageContaining("public.orders and public.legacy_orders would both land in public.\"Orders\"")
                .hasMessageContaining("give one a targetName");
    }

    @Test
    void includePatternsOnASourceThatCannotListItsTablesSayToNameThem() {
        assertThatThrownBy(() -> ZeroEtl.from(h.pipelineSource())
                        .to(() -> h.applier)
                        .include("public.*")
                        .start())
                .isInstanceOf(ZeroEtlException.class)
                .hasMessageStartingWith("include:")
                .hasMessageContaining("name them with tables(...)");
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

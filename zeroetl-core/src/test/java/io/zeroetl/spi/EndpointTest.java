package io.zeroetl.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.ZeroEtlException;
import org.junit.jupiter.api.Test;

/** The endpoint options every source and target builder shares, checked once. */
class EndpointTest {
    /** A builder as a source's or target's is. */
    static final class Builder extends Endpoint.Options<Builder> {
        Builder() {
            super("jdbc:example://", "jdbc:example://db:1/x");
        }

        @Override
        protected Builder self() {
            return this;
        }

        Endpoint build() {
            return endpoint();
        }
    }

    @Test
    void eachMissingOptionIsNamedWithAnExample() {
        assertThatThrownBy(() -> new Builder().build())
                .isInstanceOfSatisfying(
                        ZeroEtlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("jdbcUrl")
                .hasMessageContaining("jdbc:example://db:1/x");
        assertThatThrownBy(() -> new Builder().jdbcUrl("jdbc:example://h/d").build())
                .hasMessageContaining("user");
        assertThatThrownBy(() ->
                        new Builder().jdbcUrl("jdbc:example://h/d").user("u").build())
                .hasMessageContaining("password");
        assertThatThrownBy(() -> new Builder().jdbcUrl("jdbc:other://h/d"))
                .hasMessageContaining("must start with jdbc:example://");
    }

    @Test
    void theDriverGetsEverythingAndTheTextNothingSecret() {
        Endpoint endpoint = new Builder()
                .jdbcUrl("jdbc:example://h:1/d?password=in-url")
                .user("etl")
                .password("s3cr3t")
                .property("ssl", "false")
                .build();

        assertThat(endpoint.connectionProperties())
                .containsEntry("user", "etl")
                .containsEntry("password", "s3cr3t")
                .containsEntry("ssl", "false");
        assertThat(endpoint.properties()).doesNotContainKey("password");
        assertThat(endpoint.toString())
                .isEqualTo("jdbc:example://h:1/d, user etl")
                .doesNotContain("s3cr3t");
    }
}

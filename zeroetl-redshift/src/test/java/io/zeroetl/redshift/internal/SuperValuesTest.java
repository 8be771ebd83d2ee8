package io.zeroetl.redshift.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.spi.UnstorableValueException;
import org.junit.jupiter.api.Test;

/** SUPER values by the documented limits (limitations-super, super-configurations). */
class SuperValuesTest {
    @Test
    void repeatedKeysAreResolvedAsJsonbDoesTheLastWinsAtEveryDepth() {
        assertThat(SuperValues.deduplicated("{\"a\": 1, \"b\": {\"c\": 1, \"c\": [2]}, \"a\": 3.50}"))
                .isEqualTo("{\"a\":3.50,\"b\":{\"c\":[2]}}");
        assertThat(SuperValues.deduplicated("[{\"k\": \"x\", \"k\": null}]")).isEqualTo("[{\"k\":null}]");
    }

    @Test
    void aDocumentWithoutRepeatedKeysIsSentAsItIs() {
        String doc = "{\"a\": 1e300, \"b\": \"x:y\", \"c\": 12345678901234567890123}";
        assertThat(SuperValues.deduplicated(doc)).isSameAs(doc);
    }

    @Test
    void numbersKeepEveryDigitWhenADocumentIsRewritten() {
        assertThat(SuperValues.deduplicated(
                        "{\"n\": 0, \"n\": 12345678901234567890.123456789012345678901, \"m\": 1e300}"))
                .startsWith("{\"n\":12345678901234567890.123456789012345678901,\"m\":1000");
    }

    @Test
    void aStringOver65535BytesInsideADocumentCannotBeStored() {
        String ok = "{\"s\": \"" + "é".repeat(32_767) + "\"}";
        assertThat(SuperValues.checked(ok)).isSameAs(ok);
        assertThatThrownBy(() -> SuperValues.checked("[1, \"" + "é".repeat(32_768) + "\"]"))
                .isInstanceOf(UnstorableValueException.class)
                .hasMessageContaining("65536 bytes")
                .hasMessageContaining("limitations-super");
        assertThatThrownBy(() -> SuperValues.checked("{\"" + "k".repeat(70_000) + "\": 1}"))
                .isInstanceOf(UnstorableValueException.class);
    }

    @Test
    void aLargeDocumentOfShortStringsIsStorable() {
        StringBuilder doc = new StringBuilder("[");
        for (int i = 0; i < 30_000; i++) {
            doc.append(i == 0 ? "" : ",").append("\"v").append(i).append('"');
        }
        String large = doc.append(']').toString();
        assertThat(SuperValues.checked(large)).isSameAs(large);
    }
}

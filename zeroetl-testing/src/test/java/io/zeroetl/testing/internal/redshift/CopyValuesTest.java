package io.zeroetl.testing.internal.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which decimal fields load as they are, and which go through the full conversion (refused, cut or rounded). */
class CopyValuesTest {
    @Test
    void aPlainDecimalWithinTheScaleLoadsAsItIs() {
        assertThat(CopyValues.plainWithin("12.50", 2)).isTrue();
        assertThat(CopyValues.plainWithin("-0.5", 2)).isTrue();
        assertThat(CopyValues.plainWithin("+7", 0)).isTrue();
        assertThat(CopyValues.plainWithin("7.", 0)).isTrue();
        assertThat(CopyValues.plainWithin(".25", 2)).isTrue();
    }

    @Test
    void moreFractionDigitsAnExponentOrNotANumberTakeTheFullConversion() {
        assertThat(CopyValues.plainWithin("12.505", 2)).as("cut or rounded").isFalse();
        assertThat(CopyValues.plainWithin("1e3", 2)).isFalse();
        assertThat(CopyValues.plainWithin("1.2.3", 2))
                .as("refused by BigDecimal")
                .isFalse();
        assertThat(CopyValues.plainWithin("-", 2)).isFalse();
        assertThat(CopyValues.plainWithin(".", 2)).isFalse();
        assertThat(CopyValues.plainWithin("", 2)).isFalse();
        assertThat(CopyValues.plainWithin("١٢", 2))
                .as("digits of another script")
                .isFalse();
    }
}

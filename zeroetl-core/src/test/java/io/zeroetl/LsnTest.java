package io.zeroetl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnTest {
    @Test
    void parsesAndPrintsPostgresNotation() {
        Lsn lsn = Lsn.parse("16/B374D848");

        assertThat(lsn.value()).isEqualTo(0x16_B374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/0")).isEqualTo(Lsn.NONE);
    }

    @Test
    void ordersAsUnsignedNumbers() {
        Lsn high = Lsn.parse("FFFFFFFF/0");
        Lsn low = Lsn.parse("1/0");

        assertThat(high.isAfter(low)).isTrue();
        assertThat(low.max(high)).isEqualTo(high);
        assertThat(high.bytesAfter(low)).isEqualTo(0xFFFFFFFEL << 32);
        assertThat(low.bytesAfter(high)).isZero();
    }

    @Test
    void rejectsWhatIsNotAPosition() {
        for (String bad : new String[] {"", "16", "/1", "1/", "G/1", "1/100000000", "-1/0"}) {
            assertThatThrownBy(() -> Lsn.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("X/Y");
        }
    }
}

package io.zeroetl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Continuous verification's settings: on by default at a conservative rate, off with one call. */
class VerificationTest {
    @Test
    void theDefaultVerifiesEveryTableEveryTenMinutesWithinABudgetAndHealsDrift() {
        assertThat(Verification.DEFAULT.enabled()).isTrue();
        assertThat(Verification.DEFAULT.interval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(Verification.DEFAULT.action()).isEqualTo(DriftAction.HEAL);
        assertThat(Verification.DEFAULT.rowsPerSecond()).isEqualTo(2_500);
        assertThat(Verification.off().enabled()).isFalse();
    }

    @Test
    void eachSettingIsCheckedAndNamedAndACopyChangesOnlyItsOwn() {
        Verification v = Verification.every(Duration.ofMinutes(2))
                .onDrift(DriftAction.REPORT)
                .rowsPerSecond(500);
        assertThat(v).isEqualTo(new Verification(Duration.ofMinutes(2), DriftAction.REPORT, 500));
        assertThatThrownBy(() -> Verification.every(Duration.ZERO))
                .isInstanceOf(ZeroEtlException.class)
                .hasMessageContaining("Verification.off()");
        assertThatThrownBy(() -> v.rowsPerSecond(0)).hasMessageContaining("rowsPerSecond");
        assertThatThrownBy(() -> new Verification(Duration.ofSeconds(-1), DriftAction.HEAL, 1))
                .hasMessageContaining("interval");
    }
}

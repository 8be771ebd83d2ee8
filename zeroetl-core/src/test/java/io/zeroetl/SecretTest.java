package io.zeroetl;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void toStringIsAMaskAndRevealGivesTheValue() {
        Secret secret = Secret.of("correct horse battery staple");

        assertThat(secret).hasToString("******");
        assertThat(secret.reveal()).isEqualTo("correct horse battery staple");
    }

    @Test
    void exceptionsRedactKnownSecretsInMessagesAndCauses() {
        Secret.of("pa55word-xyz");
        SQLException driver = new SQLException(
                "auth failed: pa55word-xyz", "28P01", new IllegalStateException("nested pa55word-xyz"));

        ZeroEtlException e = new ZeroEtlException(ErrorCode.AUTHENTICATION, "login with pa55word-xyz failed", driver);

        assertThat(e.getMessage()).isEqualTo("login with ****** failed");
        assertThat(e.getCause()).isInstanceOf(RedactedCause.class).hasMessage("auth failed: ******");
        assertThat(e.getCause().toString()).startsWith("java.sql.SQLException: ");
        assertThat(e.getCause().getCause()).hasMessage("nested ******");
        assertThat(e.getCause().getStackTrace()).isEqualTo(driver.getStackTrace());
    }
}

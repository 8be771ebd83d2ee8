package io.zeroetl.redshift.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ErrorCode;
import io.zeroetl.RetriableException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Redshift's own errors on top of the standard SQLSTATE classes core knows. */
class RedshiftErrorsTest {
    @Test
    void aSerializableIsolationViolationIsARetriableConflict() {
        SQLException e = new SQLException(
                "ERROR: 1023 DETAIL: Serializable isolation violation on table - 123, transactions forming the cycle",
                "XX000");

        assertThat(RedshiftErrors.classify("merging", e))
                .isInstanceOf(RetriableException.class)
                .extracting(x -> ((RetriableException) x).code())
                .isEqualTo(ErrorCode.SERIALIZATION_CONFLICT);
    }

    @Test
    void postgresCodesRedshiftAnswersWithAreKnown() {
        assertThat(RedshiftErrors.codeOf(new SQLException("shutting down", "57P01")))
                .isEqualTo(ErrorCode.CONNECTION);
        assertThat(RedshiftErrors.codeOf(new SQLException("permission denied", "42501")))
                .isEqualTo(ErrorCode.PERMISSION);
        assertThat(RedshiftErrors.codeOf(new SQLException("syntax", "42601"))).isEqualTo(ErrorCode.SQL_REJECTED);
        assertThat(RedshiftErrors.codeOf(new SQLException("gone", "08006"))).isEqualTo(ErrorCode.CONNECTION);
    }

    @Test
    void tlsAskedOfAServerWithoutItSaysWhatToSet() {
        assertThat(RedshiftErrors.classify("connecting", new SQLException("The server does not support SSL.", "08004")))
                .hasMessageContaining("Set ssl(false) on the RedshiftTarget builder")
                .extracting(x -> x.code())
                .isEqualTo(ErrorCode.CONFIGURATION);
    }
}

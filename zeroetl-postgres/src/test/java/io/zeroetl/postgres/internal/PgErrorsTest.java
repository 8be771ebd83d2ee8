package io.zeroetl.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ErrorCode;
import io.zeroetl.RetriableException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** PostgreSQL's own error codes on top of the standard SQLSTATE classes core knows. */
class PgErrorsTest {
    @Test
    void aServerShuttingDownIsALostConnectionAndADeadlockAConflict() {
        assertThat(PgErrors.classify("reading", new SQLException("terminating connection", "57P01")))
                .isInstanceOf(RetriableException.class)
                .extracting(e -> e.code())
                .isEqualTo(ErrorCode.CONNECTION);
        assertThat(PgErrors.codeOf(new SQLException("deadlock detected", "40P01")))
                .isEqualTo(ErrorCode.SERIALIZATION_CONFLICT);
        assertThat(PgErrors.codeOf(new SQLException("out of memory", "53200"))).isEqualTo(ErrorCode.RESOURCE_BUSY);
        assertThat(PgErrors.codeOf(new SQLException("canceling statement", "57014")))
                .isEqualTo(ErrorCode.TIMEOUT);
    }

    @Test
    void theStandardClassesStillDecideTheRest() {
        assertThat(PgErrors.codeOf(new SQLException("could not serialize", "40001")))
                .isEqualTo(ErrorCode.SERIALIZATION_CONFLICT);
        assertThat(PgErrors.codeOf(new SQLException("password authentication failed", "28P01")))
                .isEqualTo(ErrorCode.AUTHENTICATION);
        assertThat(PgErrors.codeOf(new SQLException("permission denied", "42501")))
                .isEqualTo(ErrorCode.PERMISSION);
        assertThat(PgErrors.codeOf(new SQLException("relation does not exist", "42P01")))
                .isEqualTo(ErrorCode.SQL_REJECTED);
    }

    @Test
    void tlsAskedOfAServerWithoutItIsAConfigurationErrorThoughItComesAsClass08() {
        assertThat(PgErrors.classify("connecting", new SQLException("The server does not support SSL.", "08004")))
                .hasMessageContaining("Set ssl(false) on the PostgresSource builder")
                .extracting(e -> e.code())
                .isEqualTo(ErrorCode.CONFIGURATION);
    }
}

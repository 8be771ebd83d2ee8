package io.zeroetl.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ErrorCode;
import io.zeroetl.RetriableException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.api.Test;

/** The SQL standard's classes in core, a server's own words added as rules. */
class SqlErrorsTest {
    private static final SqlErrors.Dialect NONE = SqlErrors.rules();

    @Test
    void theStandardClassesDecideWithoutADialect() {
        assertThat(SqlErrors.codeOf(new SQLException("gone", "08006"), NONE)).isEqualTo(ErrorCode.CONNECTION);
        assertThat(SqlErrors.codeOf(new SQLException("conflict", "40001"), NONE))
                .isEqualTo(ErrorCode.SERIALIZATION_CONFLICT);
        assertThat(SqlErrors.codeOf(new SQLException("who?", "28000"), NONE)).isEqualTo(ErrorCode.AUTHENTICATION);
        assertThat(SqlErrors.codeOf(new SQLException("syntax", "42000"), NONE)).isEqualTo(ErrorCode.SQL_REJECTED);
        assertThat(SqlErrors.codeOf(new SQLTimeoutException("slow"), NONE)).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(SqlErrors.codeOf(new SQLException("odd", "XX000"), NONE)).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void aDialectsRulesComeFirstInTheirOrder() {
        SqlErrors.Dialect dialect = SqlErrors.rules()
                .message(ErrorCode.CONFIGURATION, "no TLS here")
                .state("08*", ErrorCode.RESOURCE_BUSY)
                .message(ErrorCode.SERIALIZATION_CONFLICT, "4711", "Conflict");

        assertThat(SqlErrors.codeOf(new SQLException("No TLS here", "08004"), dialect))
                .isEqualTo(ErrorCode.CONFIGURATION);
        assertThat(SqlErrors.codeOf(new SQLException("busy", "08001"), dialect)).isEqualTo(ErrorCode.RESOURCE_BUSY);
        assertThat(SqlErrors.codeOf(new SQLException("error 4711: conflict", "XX000"), dialect))
                .isEqualTo(ErrorCode.SERIALIZATION_CONFLICT);
        assertThat(SqlErrors.codeOf(new SQLException("error 4711", "XX000"), dialect))
                .as("every word must be in the message")
                .isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void theMessageSaysWhatFailedTheStateAndWhatToDo() {
        SqlErrors.Dialect dialect = SqlErrors.rules()
                .state("40P01", ErrorCode.SERIALIZATION_CONFLICT)
                .advice(ErrorCode.PERMISSION, "Ask.");

        assertThat(SqlErrors.classify("merging", new SQLException("deadlock", "40P01"), dialect))
                .isInstanceOf(RetriableException.class)
                .hasMessage("Failed merging: deadlock (SQLSTATE 40P01); retrying.");
        assertThat(SqlErrors.classify(
                        "reading",
                        new SQLException("denied", "42501"),
                        SqlErrors.rules()
                                .state("42501", ErrorCode.PERMISSION)
                                .advice(ErrorCode.PERMISSION, "Grant SELECT on it.")))
                .hasMessage("Failed reading: denied (SQLSTATE 42501). Grant SELECT on it.");
    }
}

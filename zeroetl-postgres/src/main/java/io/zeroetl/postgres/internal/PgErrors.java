package io.zeroetl.postgres.internal;

import io.zeroetl.ErrorCode;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.spi.SqlErrors;
import java.sql.SQLException;

/**
 * PostgreSQL's own error codes (Appendix A of its manual) beyond the SQL standard's classes: 57P01-57P03
 * (the server shutting down) as a lost connection, 40P01 (deadlock) as a retriable conflict, class 53
 * (insufficient resources) as busy, 57014 (statement timeout) as a timeout, 42501 as a missing
 * privilege; and pgjdbc's refusal when TLS was asked of a server without it, as a configuration error.
 */
public final class PgErrors {
    private static final SqlErrors.Dialect INSTANCE = new SqlErrors.Dialect() {
        @Override
        public ErrorCode codeOf(SQLException e) {
            return PgErrors.own(e);
        }

        @Override
        public String advice(ErrorCode code) {
            return code == ErrorCode.CONFIGURATION
                    ? "Set ssl(false) on the PostgresSource builder for a server without TLS, such as a local"
                            + " PostgreSQL; keep TLS on for any server reached over a network."
                    : null;
        }
    };

    private PgErrors() {}

    /**
     * {@return the classified exception for {@code e}, raised while doing {@code what}}
     *
     * @param what what was being done, for the message
     * @param e the driver's error
     */
    public static ZeroEtlException classify(String what, SQLException e) {
        return SqlErrors.classify(what, e, INSTANCE);
    }

    /**
     * {@return the error code for {@code e}}
     *
     * @param e the driver's error
     */
    public static ErrorCode codeOf(SQLException e) {
        return SqlErrors.codeOf(e, INSTANCE);
    }

    private static ErrorCode own(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("does not support SSL")) {
            return ErrorCode.CONFIGURATION;
        }
        if (state.startsWith("57P")) {
            return ErrorCode.CONNECTION;
        }
        if (state.equals("40P01")) {
            return ErrorCode.SERIALIZATION_CONFLICT;
        }
        if (state.startsWith("53")) {
            return ErrorCode.RESOURCE_BUSY;
        }
        if (state.equals("57014")) {
            return ErrorCode.TIMEOUT;
        }
        if (state.equals("42501")) {
            return ErrorCode.PERMISSION;
        }
        return null;
    }
}

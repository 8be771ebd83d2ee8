package io.zeroetl.spi;

import io.zeroetl.ErrorCode;
import io.zeroetl.RetriableException;
import io.zeroetl.ZeroEtlException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Classifies JDBC errors into zeroetl's error codes, so every part treats them alike. This class knows
 * only what the SQL standard and JDBC say: SQLSTATE class 08 (connection exception) and
 * {@link SQLRecoverableException} are retriable connection failures, 40001 (serialization failure) a
 * retriable conflict, {@link SQLTransientException} a retriable timeout, class 28 (invalid authorization)
 * an authentication failure and class 42 (syntax error or access rule violation) a rejected statement.
 * What a server says beyond the standard (its own codes, a driver's message) its technology module
 * supplies as a {@link Dialect}.
 */
public final class SqlErrors {
    private SqlErrors() {}

    /** A server's own words for errors, beyond the SQL standard's classes. */
    public interface Dialect {
        /**
         * {@return the error code for {@code e}, or null when the standard classes decide}
         *
         * @param e the driver's error
         */
        ErrorCode codeOf(SQLException e);

        /**
         * {@return what the user should do about an error of {@code code}, as a sentence, or null for the
         * standard advice}
         *
         * @param code the classified error's code
         */
        default String advice(ErrorCode code) {
            return null;
        }
    }

    /**
     * A {@link ZeroEtlException} (a {@link RetriableException} when transient) for {@code e}, raised
     * while doing {@code what} (e.g. "loading the batch into the staging table").
     *
     * @param what what was being done, for the message
     * @param e the driver's error
     * @param dialect the server's own error codes
     * @return the classified exception, to throw
     */
    public static ZeroEtlException classify(String what, SQLException e, Dialect dialect) {
        ErrorCode code = codeOf(e, dialect);
        String advice = dialect.advice(code);
        String message = "Failed " + what + ": " + e.getMessage()
                + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")")
                + (advice == null ? advice(code) : ". " + advice);
        return code.retriable() ? new RetriableException(code, message, e) : new ZeroEtlException(code, message, e);
    }

    /**
     * {@return the error code for {@code e}}
     *
     * @param e the driver's error
     * @param dialect the server's own error codes
     */
    public static ErrorCode codeOf(SQLException e, Dialect dialect) {
        ErrorCode own = dialect.codeOf(e);
        if (own != null) {
            return own;
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || e instanceof SQLRecoverableException) {
            return ErrorCode.CONNECTION;
        }
        if (state.equals("40001")) {
            return ErrorCode.SERIALIZATION_CONFLICT;
        }
        if (e instanceof SQLTransientException) {
            return ErrorCode.TIMEOUT;
        }
        if (state.startsWith("28")) {
            return ErrorCode.AUTHENTICATION;
        }
        if (state.startsWith("42")) {
            return ErrorCode.SQL_REJECTED;
        }
        return ErrorCode.INTERNAL;
    }

    private static String advice(ErrorCode code) {
        switch (code) {
            case AUTHENTICATION:
                return ". Check the user and password configured for this server.";
            case PERMISSION:
                return ". Grant the missing privilege to the configured user.";
            case SQL_REJECTED:
                return ". The server rejected a statement zeroetl sent: please report it.";
            case CONFIGURATION:
                return ". Check the connection settings.";
            default:
                return code.retriable() ? "; retrying." : ".";
        }
    }
}

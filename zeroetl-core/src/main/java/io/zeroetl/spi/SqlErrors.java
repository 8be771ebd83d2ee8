package io.zeroetl.spi;

import io.zeroetl.ErrorCode;
import io.zeroetl.RetriableException;
import io.zeroetl.ZeroEtlException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Classifies JDBC errors into zeroetl's error codes by SQLSTATE, so every part treats them alike:
 * class 08 (connection), 57P01-57P03 (server shutting down), 53 (resources) and 40001 or Redshift's
 * error 1023 (serialization) are retriable; class 28 (authentication) and 42501 (permission) are
 * permanent and say what to fix; other class 42 errors mean a rejected statement. A client asking for TLS
 * from a server without it is a configuration error that names the fix.
 */
public final class SqlErrors {
    private SqlErrors() {}

    /**
     * A {@link ZeroEtlException} (a {@link RetriableException} when transient) for {@code e}, raised
     * while doing {@code what} (e.g. "loading the batch into the staging table").
     *
     * @param what what was being done, for the message
     * @param e the driver's error
     * @return the classified exception, to throw
     */
    public static ZeroEtlException classify(String what, SQLException e) {
        ErrorCode code = codeOf(e);
        if (code == ErrorCode.CONFIGURATION) {
            return new ZeroEtlException(
                    code,
                    "Failed " + what + ": " + e.getMessage() + " Set ssl(false) on the"
                            + " builder for a server without TLS, such as the Redshift emulator or a local PostgreSQL;"
                            + " keep TLS on for a real cluster.",
                    e);
        }
        String message =
                "Failed " + what + ": " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")" + advice(code);
        return code.retriable() ? new RetriableException(code, message, e) : new ZeroEtlException(code, message, e);
    }

    /**
     * {@return the error code for {@code e}}
     *
     * @param e the driver's error
     */
    public static ErrorCode codeOf(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("does not support SSL")) {
            // the client asked for TLS (the drivers' default) and the server has none: no retry will help
            return ErrorCode.CONFIGURATION;
        }
        if (state.startsWith("08") || state.startsWith("57P") || e instanceof SQLRecoverableException) {
            return ErrorCode.CONNECTION;
        }
        if (state.equals("40001")
                || state.equals("40P01")
                || message.contains("1023") && message.toLowerCase().contains("serializable isolation violation")) {
            return ErrorCode.SERIALIZATION_CONFLICT;
        }
        if (state.startsWith("53")) {
            return ErrorCode.RESOURCE_BUSY;
        }
        if (state.equals("57014") || e instanceof SQLTransientException) {
            return ErrorCode.TIMEOUT;
        }
        if (state.startsWith("28")) {
            return ErrorCode.AUTHENTICATION;
        }
        if (state.equals("42501")) {
            return ErrorCode.PERMISSION;
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
            default:
                return code.retriable() ? "; retrying." : ".";
        }
    }
}

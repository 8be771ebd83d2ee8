package io.zeroetl.redshift.internal;

import io.zeroetl.ErrorCode;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.spi.SqlErrors;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Redshift's own errors beyond the SQL standard's classes. Redshift answers with PostgreSQL's codes
 * (57P01-57P03 a server going away, 40P01 deadlock, class 53 resources, 57014 a cancelled statement,
 * 42501 a missing privilege) and reports a serializable isolation violation as error 1023 in the message
 * (c_serial_isolation); the drivers' refusal when TLS was asked of a server without it is a configuration
 * error.
 */
public final class RedshiftErrors {
    private static final SqlErrors.Dialect INSTANCE = new SqlErrors.Dialect() {
        @Override
        public ErrorCode codeOf(SQLException e) {
            return RedshiftErrors.own(e);
        }

        @Override
        public String advice(ErrorCode code) {
            return code == ErrorCode.CONFIGURATION
                    ? "Set ssl(false) on the RedshiftTarget builder for a server without TLS, such as the Redshift"
                            + " emulator; keep TLS on for a real cluster."
                    : null;
        }
    };

    private RedshiftErrors() {}

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
        if (state.equals("40P01")
                || message.contains("1023")
                        && message.toLowerCase(Locale.ROOT).contains("serializable isolation violation")) {
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

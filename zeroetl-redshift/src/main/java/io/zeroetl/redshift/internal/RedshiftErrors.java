package io.zeroetl.redshift.internal;

import io.zeroetl.ErrorCode;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.spi.SqlErrors;
import io.zeroetl.spi.UnstorableValueException;
import java.sql.SQLException;

/**
 * Redshift's own errors beyond the SQL standard's classes. Redshift answers with PostgreSQL's codes
 * (57P01-57P03 a server going away, 40P01 deadlock, class 53 resources, 57014 a cancelled statement,
 * 42501 a missing privilege) and reports a serializable isolation violation as error 1023 in the message
 * (c_serial_isolation); the drivers' refusal when TLS was asked of a server without it is a configuration
 * error.
 */
public final class RedshiftErrors {
    private static final SqlErrors.Dialect REDSHIFT = SqlErrors.rules()
            .message(ErrorCode.CONFIGURATION, "does not support SSL")
            .message(ErrorCode.SERIALIZATION_CONFLICT, "1023", "serializable isolation violation")
            .state("57P*", ErrorCode.CONNECTION)
            .state("40P01", ErrorCode.SERIALIZATION_CONFLICT)
            .state("53*", ErrorCode.RESOURCE_BUSY)
            .state("57014", ErrorCode.TIMEOUT)
            .state("42501", ErrorCode.PERMISSION)
            .advice(
                    ErrorCode.CONFIGURATION,
                    "Set ssl(false) on the RedshiftTarget builder for a server without TLS, such as the Redshift"
                            + " emulator; keep TLS on for a real cluster.");

    private RedshiftErrors() {}

    /**
     * {@return the classified exception for {@code e}, raised while doing {@code what}}
     *
     * @param what what was being done, for the message
     * @param e the driver's error
     */
    public static ZeroEtlException classify(String what, SQLException e) {
        return SqlErrors.classify(what, e, REDSHIFT);
    }

    /**
     * {@return the error code for {@code e}}
     *
     * @param e the driver's error
     */
    public static ErrorCode codeOf(SQLException e) {
        return SqlErrors.codeOf(e, REDSHIFT);
    }

    /** Why a table's changes could not be applied, and what to do: its reason when it fails. */
    static String tableReason(Exception e) {
        if (e instanceof SQLException sql) {
            return "Redshift refused its changes: " + sql.getMessage() + " (SQLSTATE " + sql.getSQLState() + "); fix"
                    + " the cause at the source or in the rules, then resync the table";
        }
        if (e instanceof UnstorableValueException) {
            return e.getMessage();
        }
        return "its changes could not be applied: " + e + "; fix the cause, then resync the table";
    }
}

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
    private static final SqlErrors.Dialect POSTGRES = SqlErrors.rules()
            .message(ErrorCode.CONFIGURATION, "does not support SSL")
            .state("57P*", ErrorCode.CONNECTION)
            .state("40P01", ErrorCode.SERIALIZATION_CONFLICT)
            .state("53*", ErrorCode.RESOURCE_BUSY)
            .state("57014", ErrorCode.TIMEOUT)
            .state("42501", ErrorCode.PERMISSION)
            .advice(
                    ErrorCode.CONFIGURATION,
                    "Set ssl(false) on the PostgresSource builder for a server without TLS, such as a local"
                            + " PostgreSQL; keep TLS on for any server reached over a network.");

    private PgErrors() {}

    /**
     * {@return the classified exception for {@code e}, raised while doing {@code what}}
     *
     * @param what what was being done, for the message
     * @param e the driver's error
     */
    public static ZeroEtlException classify(String what, SQLException e) {
        return SqlErrors.classify(what, e, POSTGRES);
    }

    /**
     * {@return the error code for {@code e}}
     *
     * @param e the driver's error
     */
    public static ErrorCode codeOf(SQLException e) {
        return SqlErrors.codeOf(e, POSTGRES);
    }
}

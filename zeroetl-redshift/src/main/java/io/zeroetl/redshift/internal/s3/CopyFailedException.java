package io.zeroetl.redshift.internal.s3;

import java.sql.SQLException;

/**
 * Redshift refused a staging COPY. Its message says which load; once the batch's transaction is rolled back
 * the applier adds the row, column and reason from STL_LOAD_ERRORS.
 */
public final class CopyFailedException extends SQLException {
    private static final long serialVersionUID = 1L;

    CopyFailedException(String table, long rows, String manifest, SQLException cause) {
        super(
                "COPY of " + rows + " row(s) from " + manifest + " into the staging table " + table + " failed: "
                        + cause.getMessage(),
                cause.getSQLState(),
                cause.getErrorCode(),
                cause);
    }
}

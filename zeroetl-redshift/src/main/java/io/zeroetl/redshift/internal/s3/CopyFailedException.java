package io.zeroetl.redshift.internal.s3;

import java.sql.SQLException;

/**
 * Redshift refused a staging COPY. Its message says which load; once the batch's transaction is rolled back
 * the applier adds the row, column and reason from STL_LOAD_ERRORS.
 */
public final class CopyFailedException extends SQLException {
    private static final long serialVersionUID = 1L;

    /** The URL prefix every file of the load shares (unique to the attempt). */
    private final String files;

    CopyFailedException(String table, long rows, String manifest, String files, SQLException cause) {
        super(
                "COPY of " + rows + " row(s) from " + manifest + " into " + table + " failed: " + cause.getMessage(),
                cause.getSQLState(),
                cause.getErrorCode(),
                cause);
        this.files = files;
    }

    /** {@return the URL prefix of the load's files: its rows in the load-error log name them} */
    public String files() {
        return files;
    }
}

package io.zeroetl.redshift;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Loads rows into a batch's staging table. The default ({@link #multiRowInsert()}) sends multi-row
 * INSERTs with bound values, each statement well under Redshift's 16 MB; a loader writing files to S3 and
 * running COPY can replace it. Called from the applier's thread, inside the batch's transaction.
 *
 * <pre>{@code
 * RedshiftTarget.builder()...stagingLoader(new S3CopyLoader(bucket, role)).build();
 * }</pre>
 */
@FunctionalInterface
public interface StagingLoader {
    /** A staging table column: its quoted name and Redshift type. */
    record Column(String quotedName, String type) {
    }

    /**
     * Loads {@code rows} into {@code table} (quoted, qualified) whose columns are {@code columns}; each row
     * holds one value per column as text in the form Redshift reads for its type (SUPER: JSON text;
     * VARBYTE: hex), null for SQL NULL.
     */
    void load(Connection connection, String table, List<Column> columns, List<String[]> rows) throws SQLException;

    /**
     * The most bytes one value's text may take in this loader; larger values go to the table's value policy.
     * The default is what a bound VARCHAR parameter carries in Redshift (65,535 bytes: r_Character_types).
     */
    default int maxValueBytes() {
        return 65_535;
    }

    /** The default loader: multi-row INSERTs with bound values. */
    static StagingLoader multiRowInsert() {
        return io.zeroetl.redshift.internal.InsertLoader.INSTANCE;
    }
}

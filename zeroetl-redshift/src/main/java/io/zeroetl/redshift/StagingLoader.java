package io.zeroetl.redshift;

import io.zeroetl.redshift.internal.InsertLoader;
import io.zeroetl.redshift.internal.Utf8;
import io.zeroetl.redshift.internal.s3.S3StagingLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Loads staged rows into a temporary staging table: the applier opens a {@link Load}, adds rows to it in order,
 * and finishes it before merging; the load is closed whatever happens. A batch's rows of every table go to one
 * staging table the session keeps, through one load (several when a table is merged before the batch ends);
 * a batch applied table by table (after such a load failed) opens one per table. All of it runs on the
 * applier's thread (a load {@linkplain #openAlone opened alone} may run its COPYs on another), on the session's
 * connection, one thread at a time, before the batch's transaction opens or inside it: the
 * staging table is the session's own, and only the merge, in the transaction, changes the target; after a
 * failure the session ends, staging table and all. Two loaders come with zeroetl: {@link #multiRowInsert()}
 * (bound multi-row INSERTs, the default) and {@link #s3(S3Staging)} (files in S3 and one COPY per load, with
 * INSERTs for a small one; an initial copy's load, opened alone, COPYs each 24 MB group of files while the next is
 * written); a host may write its own.
 *
 * <pre>{@code
 * RedshiftTarget.builder()...stagingLoader(StagingLoader.s3(S3Staging.builder()
 *         .bucket("my-staging-bucket").iamRole("arn:aws:iam::123456789012:role/redshift-load").build()))
 * }</pre>
 */
@FunctionalInterface
public interface StagingLoader {
    /** A staging table column: its quoted name and Redshift type. */
    record Column(String quotedName, String type) {}

    /**
     * One load into a staging table. Rows may be loaded as they are added or when {@link #finish()} runs;
     * memory must stay bounded however many rows come.
     */
    interface Load extends AutoCloseable {
        /**
         * Adds a row: one value per column as text in the form Redshift reads for its type (SUPER: JSON text;
         * VARBYTE: hex; dates and times as CAST reads them), null for SQL NULL. The array is the loader's.
         *
         * @param row the values, one per column; null for NULL
         * @throws SQLException when the target refuses the rows
         */
        void add(String[] row) throws SQLException;

        /**
         * Every added row is in the staging table when this returns.
         *
         * @throws SQLException when the target refuses the rows
         */
        void finish() throws SQLException;

        /** Releases what the load holds (buffers, files, objects); called after {@link #finish()} or instead of it. */
        @Override
        default void close() throws SQLException {}

        /**
         * Returns once nothing of this load runs on its connection (a load opened by {@link #openAlone} may load
         * what it staged so far from another thread while rows are added).
         *
         * @throws SQLException what loading in the background met: the load failed
         */
        default void settle() throws SQLException {}
    }

    /**
     * Starts loading {@code table} (quoted, a temporary table of the session) whose columns are {@code columns}.
     *
     * @param connection the batch's connection, in its transaction or not yet
     * @param table the staging table, quoted
     * @param columns its columns, in order
     * @return the load, to add the table's rows to and finish
     * @throws SQLException when the target refuses
     */
    Load open(Connection connection, String table, List<Column> columns) throws SQLException;

    /**
     * Starts loading {@code table}, a table nothing else in the batch touches until the load finishes (a copy into a
     * table created for it): the loader may load what it staged so far on {@code connection} from another thread
     * while the next rows are added, so the target loads while the pipeline stages. The caller uses the connection
     * for nothing else until {@link Load#settle()}, {@link Load#finish()} or {@link Load#close()} returns. By
     * default, {@link #open}.
     *
     * @param connection the batch's connection, in its transaction
     * @param table the table, quoted
     * @param columns its columns, in order
     * @return the load
     * @throws SQLException when the target refuses
     */
    default Load openAlone(Connection connection, String table, List<Column> columns) throws SQLException {
        return open(connection, table, columns);
    }

    /**
     * Called once when an applier starts, before any load, with the pipeline's id; the applier then uses the
     * loader returned (this one by default) and closes it when it stops. A loader that keeps anything outside
     * Redshift removes here what an earlier run that stopped abruptly left behind.
     *
     * @param pipelineId the pipeline's id
     * @return the loader to use for this pipeline (by default this one)
     */
    default StagingLoader start(String pipelineId) {
        return this;
    }

    /** The applier that started this loader stops. */
    default void close() {}

    /**
     * A value this loader cannot carry in its row, and why.
     *
     * @param column the value's column (its index)
     * @param reason why, in words that end a sentence about the value ("its VARBYTE form of ... bytes ...")
     */
    record Refusal(int column, String reason) {}

    /**
     * Whether this loader can carry a row with these values: null when it can; else a value it cannot carry,
     * which the applier gives to the table's value policy (before the row is sent, never as a refused
     * statement) and then asks again. Called for every row before {@link Load#add}. The default carries what
     * a bound VARCHAR parameter does in Redshift: values of up to 65,535 bytes (r_Character_types).
     *
     * @param columns the row's columns (their types)
     * @param row the values, one per column, as {@link Load#add} will receive them; null for NULL
     * @return null, or the value too large and why
     */
    default Refusal refused(List<Column> columns, String[] row) {
        for (int i = 0; i < row.length; i++) {
            long bytes = Utf8.bytesOver(row[i], MAX_BOUND_BYTES);
            if (bytes > MAX_BOUND_BYTES) {
                return new Refusal(
                        i,
                        "its " + columns.get(i).type() + " form of " + bytes + " bytes exceeds"
                                + " the 65,535 bytes a bound VARCHAR carries (r_Character_types)");
            }
        }
        return null;
    }

    /** The most a bound VARCHAR parameter carries, in bytes (r_Character_types). */
    int MAX_BOUND_BYTES = 65_535;

    /** {@return the default loader: multi-row INSERTs with bound values} */
    static StagingLoader multiRowInsert() {
        return InsertLoader.INSTANCE;
    }

    /**
     * Files in S3 and COPY: a load (a batch's staged rows) is written as gzipped CSV files while the batch
     * arrives, then loaded by one {@code COPY ... MANIFEST}; parts smaller than {@link S3Staging#threshold()}
     * go through {@link #multiRowInsert()} instead, which is faster for a trickle.
     *
     * @param s3 the bucket, prefix and credentials
     * @return the loader
     */
    static StagingLoader s3(S3Staging s3) {
        return new S3StagingLoader(s3);
    }
}

package io.zeroetl.redshift.internal.s3;

import io.zeroetl.redshift.S3Staging;
import io.zeroetl.redshift.StagingLoader;
import io.zeroetl.redshift.internal.InsertLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link StagingLoader#s3(S3Staging)}: a load (a batch's staged rows) is held in memory until it reaches the
 * threshold (or a value only a file can carry), then written to S3 ({@link S3Load}) and loaded by COPY; a part
 * that stays small goes through INSERTs. Bound to a pipeline by {@link #start(String)}, which also removes
 * what an earlier run left under the pipeline's prefix.
 */
public final class S3StagingLoader implements StagingLoader {
    private final S3Staging config;
    private final S3Objects objects;
    private final String pipelinePrefix;
    /** Runs the COPYs of loads opened alone while their next rows are staged; made by the first such load. */
    private ExecutorService copier;

    private volatile int slices = 1;

    public S3StagingLoader(S3Staging config) {
        this(config, null, null);
    }

    private S3StagingLoader(S3Staging config, S3Objects objects, String pipelinePrefix) {
        this.config = config;
        this.objects = objects;
        this.pipelinePrefix = pipelinePrefix;
    }

    /**
     * The target's slices ({@code SELECT COUNT(*) FROM stv_slices}, asked by the applier when it starts): a large
     * load is written as a multiple of them in files (c_best-practices-use-multiple-files). At most 128 files are
     * written side by side.
     */
    public void slices(int slices) {
        this.slices = Math.max(1, Math.min(128, slices));
    }

    /** This loader for {@code pipelineId}'s applier, after removing the objects an earlier run left behind. */
    @Override
    public StagingLoader start(String pipelineId) {
        S3Objects s3 = new S3Objects(config);
        String prefix = config.prefix() + pipelineId.replaceAll("[^A-Za-z0-9_.-]", "_") + "/";
        int removed = s3.deleteUnder(prefix);
        if (removed > 0) {
            org.slf4j.LoggerFactory.getLogger(S3StagingLoader.class)
                    .info(
                            "Removed {} staged object(s) that an earlier" + " run left under s3://{}/{}",
                            removed,
                            config.bucket(),
                            prefix);
        }
        return new S3StagingLoader(config, s3, prefix);
    }

    @Override
    public Load open(Connection connection, String table, List<Column> columns) throws SQLException {
        if (objects == null) {
            throw new IllegalStateException(
                    "start(pipelineId) first: the S3 loader stages under the pipeline's prefix");
        }
        return new SizedLoad(connection, table, columns, null);
    }

    /** A load whose files are loaded by COPYs on another thread as they fill, while the next ones are written. */
    @Override
    public synchronized Load openAlone(Connection connection, String table, List<Column> columns) throws SQLException {
        if (objects == null) {
            return open(connection, table, columns);
        }
        if (copier == null) {
            copier = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "zeroetl-" + pipelinePrefix.replace("/", "") + "-copy");
                thread.setDaemon(true);
                return thread;
            });
        }
        return new SizedLoad(connection, table, columns, copier);
    }

    @Override
    public synchronized void close() {
        if (copier != null) {
            copier.shutdownNow();
            copier = null;
        }
    }

    /**
     * A row whose CSV line fits COPY's 4 MB goes through a file; a longer one goes through an INSERT in the same
     * transaction ({@link S3Load#add}), so what INSERT cannot carry of it is refused.
     */
    @Override
    public Refusal refused(List<Column> columns, String[] row) {
        // room for what staging adds to the row (its sequence, operation and unchanged columns' marks)
        if (S3Load.fitsCopy(row, S3Load.MAX_ROW_BYTES - (64 << 10))) {
            return null;
        }
        Refusal refused = InsertLoader.INSTANCE.refused(columns, row);
        return refused == null
                ? null
                : new Refusal(
                        refused.column(),
                        refused.reason() + ", and its row's CSV line is over the 4 MB a COPY row holds"
                                + " (copy-parameters-data-source)");
    }

    @Override
    public String toString() {
        return "StagingLoader.s3(" + config + ")";
    }

    /** INSERTs for a part below the threshold; from the threshold on, everything goes through S3. */
    private final class SizedLoad implements Load {
        private final Connection connection;
        private final String table;
        private final List<Column> columns;
        private final Executor copier;
        private final ArrayList<String[]> held = new ArrayList<>();
        private long heldChars;
        private S3Load s3;

        SizedLoad(Connection connection, String table, List<Column> columns, Executor copier) {
            this.connection = connection;
            this.table = table;
            this.columns = columns;
            this.copier = copier;
        }

        @Override
        public void add(String[] row) throws SQLException {
            if (s3 != null) {
                s3.add(row);
                return;
            }
            held.add(row);
            for (String v : row) {
                heldChars += v == null ? 1 : v.length();
            }
            // a value a bound VARCHAR cannot carry goes through a file
            boolean large = heldChars > 16_000 && InsertLoader.INSTANCE.refused(columns, row) != null;
            if (held.size() >= config.threshold() || large || heldChars > 16L << 20) {
                s3 = new S3Load(connection, table, columns, config, objects, pipelinePrefix, slices, copier);
                for (String[] r : held) {
                    s3.add(r);
                }
                held.clear();
                heldChars = 0;
            }
        }

        @Override
        public void finish() throws SQLException {
            if (s3 != null) {
                s3.finish();
                return;
            }
            try (Load insert = InsertLoader.INSTANCE.open(connection, table, columns)) {
                for (String[] r : held) {
                    insert.add(r);
                }
                insert.finish();
            }
            held.clear();
        }

        @Override
        public void settle() throws SQLException {
            if (s3 != null) {
                s3.settle();
            }
        }

        @Override
        public void close() throws SQLException {
            held.clear();
            if (s3 != null) {
                s3.close();
            }
        }
    }
}

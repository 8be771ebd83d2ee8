package io.zeroetl.redshift.internal;

import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One table's changes in one batch, loaded into a temporary staging table ({@link StageTable}) by one
 * {@link StagingLoader.Load}; then merged into the target: unchanged values filled
 * ({@link UnchangedFill}), then applied by the table's {@link MergeStrategy}.
 */
final class Staging {
    private final Connection connection;
    private final StageTable stage;
    private final StagingLoader loader;
    private final Set<Integer> unchangedColumns = new LinkedHashSet<>();
    private StagingLoader.Load load;

    Staging(Connection connection, StageTable stage, StagingLoader loader) {
        this.loader = loader;
        this.connection = connection;
        this.stage = stage;
    }

    TargetTable table() {
        return stage.table();
    }

    /**
     * Stages one version of a row with the target values as text (null for SQL NULL), and the positions of
     * values that did not change (unchanged TOAST).
     */
    void add(long seq, StagedOp op, String[] values, List<Integer> unchanged) throws SQLException {
        String[] row = new String[values.length + 3];
        row[0] = Long.toString(seq);
        row[1] = String.valueOf(op.code);
        StringBuilder marks = new StringBuilder(",");
        for (int i : unchanged) {
            marks.append(i).append(',');
            unchangedColumns.add(i);
        }
        row[2] = marks.toString();
        System.arraycopy(values, 0, row, 3, values.length);
        if (load == null) {
            create();
            load = loader.open(connection, stage.id(), columns());
        }
        load.add(row);
    }

    private List<StagingLoader.Column> columns() {
        List<StagingLoader.Column> columns = new ArrayList<>();
        columns.add(new StagingLoader.Column(StageTable.SEQ, "BIGINT"));
        columns.add(new StagingLoader.Column(StageTable.OP, "CHAR(1)"));
        columns.add(new StagingLoader.Column(StageTable.UNCHANGED, "VARCHAR(65535)"));
        for (int i = 0; i < stage.table().columns.size(); i++) {
            columns.add(new StagingLoader.Column(
                    StageTable.column(i), stage.table().columns.get(i).type()));
        }
        return columns;
    }

    /** Applies the staged changes to the target and drops the staging table. */
    void merge() throws SQLException {
        if (load == null) {
            return;
        }
        try {
            load.finish();
        } finally {
            close();
        }
        try (Statement s = connection.createStatement()) {
            for (int column : unchangedColumns) {
                UnchangedFill.fill(s, stage, column);
            }
            MergeStrategy.of(stage.table()).merge(s, stage);
            s.execute("DROP TABLE " + stage.id());
        }
        unchangedColumns.clear();
    }

    /** Releases what the load holds (after a failure: the transaction's rollback takes the staging table). */
    void close() throws SQLException {
        StagingLoader.Load open = load;
        load = null;
        if (open != null) {
            open.close();
        }
    }

    private void create() throws SQLException {
        StringBuilder sql = new StringBuilder("CREATE TEMP TABLE ").append(stage.id());
        String separator = " (";
        for (StagingLoader.Column c : columns()) {
            sql.append(separator).append(c.quotedName()).append(' ').append(c.type());
            separator = ", ";
        }
        sql.append(')');
        int key = stage.table().distKey();
        if (key >= 0) {
            // distributed as the target is, so the merge's join on the key stays on each slice
            // (merge-create-staging-table, r_CREATE_TABLE_NEW)
            sql.append(" DISTSTYLE KEY DISTKEY(").append(StageTable.column(key)).append(')');
        }
        try (Statement s = connection.createStatement()) {
            s.execute(sql.toString());
        }
    }
}

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
 * One table's changes in one batch, staged by position ({@link StageTable}): in its part of the session's
 * {@link SharedStage} (loaded with every other table's rows by the batch's {@link SharedLoad}), or in a
 * temporary table of its own loaded by its own {@link StagingLoader.Load} (when the batch is applied table by
 * table, or the table cannot share). Then merged into the target in the batch's transaction: unchanged values
 * filled ({@link UnchangedFill}, on a table of its own: a shared part with such values is copied into one
 * first), then applied by the table's {@link MergeStrategy}.
 */
final class Staging {
    /** The batch's connection with its transaction open (opened by the first call). */
    @FunctionalInterface
    interface Transaction {
        Connection open() throws SQLException;
    }

    private final Transaction transaction;
    private final StageTable stage;
    private final StagingLoader loader;
    private final SharedLoad shared;
    private final Set<Integer> unchangedColumns = new LinkedHashSet<>();
    private StagingLoader.Load load;
    private boolean staged;

    /** {@code shared}: the batch's shared load when {@code stage} is a shared part, else null. */
    Staging(Transaction transaction, StageTable stage, StagingLoader loader, SharedLoad shared) {
        this.transaction = transaction;
        this.stage = stage;
        this.loader = loader;
        this.shared = shared;
    }

    TargetTable table() {
        return stage.table();
    }

    /**
     * Stages one version of a row with the target values as text (null for SQL NULL), and the positions of
     * values that did not change (unchanged TOAST).
     */
    void add(long seq, StagedOp op, String[] values, List<Integer> unchanged) throws SQLException {
        StringBuilder marks = new StringBuilder(",");
        for (int i : unchanged) {
            marks.append(i).append(',');
            unchangedColumns.add(i);
        }
        staged = true;
        if (shared != null) {
            shared.add(stage, seq, op, marks.toString(), values);
            return;
        }
        String[] row = new String[values.length + 3];
        row[0] = Long.toString(seq);
        row[1] = String.valueOf(op.code);
        row[2] = marks.toString();
        System.arraycopy(values, 0, row, 3, values.length);
        if (load == null) {
            Connection c = transaction.open();
            create(c);
            load = loader.open(c, stage.id(), columns());
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

    /** Applies the staged changes to the target; a table of its own is dropped. */
    void merge() throws SQLException {
        if (!staged) {
            return;
        }
        StageTable merged = stage;
        if (shared != null) {
            shared.finish();
        } else {
            try {
                load.finish();
            } finally {
                close();
            }
        }
        Connection c = transaction.open();
        try (Statement s = c.createStatement()) {
            if (shared != null && !unchangedColumns.isEmpty()) {
                // filling values updates the staged rows: they get a table of their own (r_CREATE_TABLE_AS)
                merged = stage.own();
                s.execute("CREATE TEMP TABLE " + merged.id() + " AS " + stage.select());
            }
            for (int column : unchangedColumns) {
                UnchangedFill.fill(s, merged, column);
            }
            MergeStrategy.of(merged.table()).merge(s, merged);
            if (merged.shared() == null) {
                s.execute("DROP TABLE " + merged.id());
            }
        }
        unchangedColumns.clear();
        staged = false;
    }

    /** Releases what the load holds (after a failure: the transaction's rollback takes the staging table). */
    void close() throws SQLException {
        StagingLoader.Load open = load;
        load = null;
        if (open != null) {
            open.close();
        }
    }

    private void create(Connection connection) throws SQLException {
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

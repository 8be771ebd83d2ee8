package io.zeroetl.redshift.internal;

import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One batch's rows of every table that stages in the {@link SharedStage}, in one {@link StagingLoader.Load}:
 * one load (one COPY, or multi-row INSERTs that mix tables) however many tables the batch touches. A table
 * that is merged before the batch ends (a schema change, a truncate) finishes the load so far; later rows open
 * another. A load that fails cannot say whose row it refused: it throws {@link Failed}, and the batch is
 * applied again with a staging table per table, which can.
 */
final class SharedLoad implements AutoCloseable {
    private final SharedStage stage;
    private final StagingLoader loader;
    private final Connection connection;
    private StagingLoader.Load load;
    /** The typed columns the open load has. */
    private int width;

    private boolean used;

    SharedLoad(SharedStage stage, StagingLoader loader, Connection connection) {
        this.stage = stage;
        this.loader = loader;
        this.connection = connection;
    }

    /** A new part was assigned its columns: an open load without all of them is finished first. */
    void assigned() {
        if (load != null && stage.width() > width) {
            finish();
        }
    }

    /** Stages one row version of {@code part}: its values go to the part's typed columns, NULL elsewhere. */
    void add(StageTable part, long seq, StagedOp op, String marks, String[] values) {
        try {
            if (load == null) {
                stage.prepare(connection);
                width = stage.width();
                load = loader.open(connection, stage.id(), stage.columns(0));
            }
            String[] row = new String[4 + width];
            row[0] = Integer.toString(part.number());
            row[1] = Long.toString(seq);
            row[2] = String.valueOf(op.code);
            row[3] = marks;
            for (int i = 0; i < values.length; i++) {
                row[4 + part.shared().slots().get(i)] = values[i];
            }
            load.add(row);
            used = true;
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    /** Every row added so far is in the shared table when this returns. */
    void finish() {
        StagingLoader.Load open = load;
        load = null;
        if (open == null) {
            return;
        }
        try (open) {
            open.finish();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    /** Empties the shared table in the batch's transaction {@code c}, when this batch staged rows in it. */
    void empty(Connection c) throws SQLException {
        if (used) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + stage.id());
            }
            used = false;
        }
    }

    /** Releases an open load (after a failure: the rows are left to the next batch's fresh table). */
    @Override
    public void close() {
        StagingLoader.Load open = load;
        load = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException | RuntimeException e) {
                // nothing of it is used again: the shared table is created afresh after a failure
            }
        }
    }

    /** A load of several tables' rows failed; {@link #getCause()} is the target's refusal. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        SQLException sql() {
            return (SQLException) getCause();
        }
    }
}

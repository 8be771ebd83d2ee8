package io.zeroetl.redshift.internal;

import io.zeroetl.TableId;
import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy into a table created empty in the same batch needs no staging and no merge: its rows are loaded
 * straight into the table by the staging loader (with S3 staging: one COPY into the new, empty table, as AWS
 * loads tables). Only for tables whose every column is data (no history or soft-delete columns to fill).
 * The load finishes before anything else touches the table in the batch, and before the batch commits.
 */
final class DirectLoads {
    private static final Logger LOG = LoggerFactory.getLogger(DirectLoads.class);

    private final Map<TableId, StagingLoader.Load> open = new LinkedHashMap<>();
    /** The table whose rows came last: only its load may be loading in the background. */
    private TableId adding;

    /** Whether {@code table}'s copied rows may go straight into it. */
    static boolean eligible(TargetTable table) {
        return table.mode != TargetTable.Mode.HISTORY && table.allData;
    }

    void add(Connection c, StagingLoader loader, TargetTable table, String[] values) throws SQLException {
        if (!table.source.equals(adding)) {
            // another table's rows from here: its load may use the connection (an INSERT of a row too long for a
            // file), so no other load may still be loading in the background
            settle();
            adding = table.source;
        }
        StagingLoader.Load load = open.get(table.source);
        if (load == null) {
            List<StagingLoader.Column> columns = new ArrayList<>();
            for (TargetTable.TargetColumn column : table.columns) {
                columns.add(new StagingLoader.Column(Sql.id(column.name()), column.type()));
            }
            // nothing else in the batch touches the table until the load finishes: it may load while rows come
            load = loader.openAlone(c, table.qualified(), columns);
            open.put(table.source, load);
        }
        load.add(values);
    }

    /**
     * Returns once no load runs on the connection (a load opened alone loads in the background): before anything
     * else uses it.
     */
    void settle() {
        for (Map.Entry<TableId, StagingLoader.Load> load : open.entrySet()) {
            try {
                load.getValue().settle();
            } catch (SQLException | RuntimeException e) {
                throw new Failed(load.getKey(), e);
            }
        }
    }

    /**
     * A load running in the background failed: the failure is its table's, whatever the batch was doing when it
     * was found.
     */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** The table whose load failed. */
        final transient TableId table;

        Failed(TableId table, Exception cause) {
            super(cause.getMessage(), cause);
            this.table = table;
        }

        /** {@return what the load met} */
        Exception failure() {
            return (Exception) getCause();
        }
    }

    /** Whether rows were loaded into {@code table} in this batch. */
    boolean open(TableId table) {
        return open.containsKey(table);
    }

    /** Finishes {@code table}'s load, when one is open. */
    void finish(TableId table) throws SQLException {
        StagingLoader.Load load = open.remove(table);
        if (load != null) {
            try (load) {
                load.finish();
            }
        }
    }

    /** The tables with a load still open, in the order they began. */
    List<TableId> tables() {
        return new ArrayList<>(open.keySet());
    }

    /** Releases every open load (the batch failed; its rollback takes the rows). */
    void closeAll() {
        for (Map.Entry<TableId, StagingLoader.Load> e : open.entrySet()) {
            try {
                e.getValue().close();
            } catch (SQLException | RuntimeException ex) {
                LOG.warn("Releasing the load of {} failed: {}", e.getKey(), ex.toString());
            }
        }
        open.clear();
    }
}

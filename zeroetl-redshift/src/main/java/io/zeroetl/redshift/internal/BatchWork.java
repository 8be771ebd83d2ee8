package io.zeroetl.redshift.internal;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RowChange;
import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch's work in the target: created when the batch's transaction begins, discarded when it commits or
 * rolls back. It holds the connection in that transaction, each table's staged rows, the copies loaded straight
 * into tables created empty for them, the values set aside by their policy, and the layouts the batch gave
 * tables. Nothing of it outlives its batch, so a failed batch leaves nothing for the next one to trip over, and
 * no caller has to reset it in the right order.
 */
final class BatchWork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWork.class);

    private final Connection connection;
    private final StagingLoader loader;
    private final ValueFailures failures;
    private final RowStager stager;
    private final DirectLoads directs = new DirectLoads();
    private final Map<TableId, Staging> staged = new LinkedHashMap<>();
    /** The number of the last staging table (staging tables of one session never share a name). */
    private int stagingNumber;

    /** Layouts this batch gave tables: they count for later batches once it commits. */
    final Map<TableId, TargetTable> changed = new HashMap<>();
    /** Tables this batch saw dropped at the source: their layouts are forgotten once it commits. */
    final Set<TableId> forgotten = new HashSet<>();

    /** Tables whose copy began in this batch and whose description has not come yet. */
    private final Set<TableId> copying = new HashSet<>();
    /** Tables created empty in this batch for their copy, which nothing but the copy touched yet. */
    private final Set<TableId> fresh = new HashSet<>();
    /** Tables whose copy finished in this batch. */
    private final List<TableId> copied = new ArrayList<>();

    private Lsn transactionLsn = Lsn.NONE;
    private Instant transactionTime = Instant.now();

    BatchWork(Connection connection, StagingLoader loader, ValueFailures failures) {
        this.connection = connection;
        this.loader = loader;
        this.failures = failures;
        this.stager = new RowStager(failures, loader);
    }

    /** The connection in the batch's transaction. */
    Connection connection() {
        return connection;
    }

    /** The source transaction whose changes follow. */
    void transaction(Lsn commitLsn, Instant commitTime) {
        this.transactionLsn = commitLsn;
        this.transactionTime = commitTime;
    }

    /** When the current source transaction committed. */
    Instant transactionTime() {
        return transactionTime;
    }

    /** A copy of {@code table} begins: its rows will replace the target's whole. */
    void copyStarts(TableId table) {
        copying.add(table);
    }

    /** Whether {@code table}'s copy began in this batch and this is its first description since. */
    boolean copyDescribed(TableId table) {
        return copying.remove(table);
    }

    /** {@code table} was created empty for its copy: the copy's rows may go straight into it. */
    void createdForCopy(TableId table) {
        fresh.add(table);
    }

    /** {@code table}'s copy finished. */
    void copyFinished(TableId table) {
        copied.add(table);
    }

    /** The tables whose copy finished in this batch. */
    List<TableId> copied() {
        return copied;
    }

    /**
     * Takes a row change of {@code layout}'s table: a copied row of a table created empty for it goes straight
     * into the table (when its columns are all data), anything else into the table's staging table.
     */
    void add(TargetTable layout, RowChange change) throws SQLException {
        TableId table = change.table();
        if (change instanceof InsertEvent insert && fresh.contains(table) && DirectLoads.eligible(layout)) {
            directs.add(connection, loader, layout, stager.values(layout, insert.row(), transactionLsn));
            return;
        }
        // anything but a copied row: the direct load (if any) is done first
        fresh.remove(table);
        directs.finish(table);
        Staging staging = staged.computeIfAbsent(table, t -> {
            StageTable stage = StageTable.of(layout, stagingNumber + 1);
            stagingNumber = stage.number();
            return new Staging(connection, stage, loader);
        });
        stager.stage(staging, change, transactionLsn);
    }

    /** Whether {@code table} was created empty in this batch and holds nothing yet (a truncate has nothing to do). */
    boolean emptyForCopy(TableId table) {
        return fresh.contains(table) && !directs.open(table);
    }

    /** Merges {@code table}'s staged rows and finishes its direct load (before its layout changes, or a truncate). */
    void merge(TableId table) throws SQLException {
        fresh.remove(table);
        directs.finish(table);
        Staging staging = staged.remove(table);
        if (staging != null) {
            staging.merge();
        }
    }

    /** The tables with rows not yet merged or loaded: direct loads first, then staged tables, each in order. */
    List<TableId> unmerged() {
        List<TableId> tables = new ArrayList<>(directs.tables());
        tables.addAll(staged.keySet());
        return tables;
    }

    /** Writes the values set aside in this batch to the errors table. */
    void recordSetAside() throws SQLException {
        failures.flush(connection);
    }

    /** Releases every load the batch still holds (after a failure the rollback takes their rows). */
    @Override
    public void close() {
        directs.closeAll();
        for (Staging staging : staged.values()) {
            try {
                staging.close();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Releasing the staging load of {} failed: {}", staging.table().source, e.toString());
            }
        }
        staged.clear();
    }
}

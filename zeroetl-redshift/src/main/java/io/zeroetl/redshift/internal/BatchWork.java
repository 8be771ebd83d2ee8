package io.zeroetl.redshift.internal;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.SnapshotEvent;
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
 * One batch's work in the target: created when the batch's first event is there, discarded when it commits or
 * rolls back. It holds the session's connection and the batch's transaction on it, each table's staged rows,
 * the copies loaded straight into tables created empty for them, the values set aside by their policy, and the
 * layouts the batch gave tables. Nothing of it outlives its batch, so a failed batch leaves nothing for the next
 * one to trip over, and no caller has to reset it in the right order.
 *
 * <p>The transaction opens as late as the batch allows ({@link #connection()}): rows go to the session's
 * {@link SharedStage} outside it, so a batch of row changes to known tables opens it only to merge and commit;
 * a schema change, a truncate or a copy opens it where it comes. A batch applied table by table (no shared
 * stage given: after a shared load failed, to find the table it concerns) stages as before shared staging
 * existed: a temporary table per table, in the transaction from the start. A table that cannot share (see
 * {@link SharedStage#slots}) stages in a table of its own, which opens the transaction at its first row.
 */
final class BatchWork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWork.class);

    private final Connection connection;
    private final Opener opener;
    private final StagingLoader loader;
    private final SharedStage sharedStage;
    private final SharedLoad shared;
    private boolean open;
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
    /** Layouts recorded for tables renamed in this batch whose layout this run had not seen, by new name. */
    final Map<TableId, String> renamedLayouts = new HashMap<>();

    /** Tables whose copy began in this batch and whose description has not come yet. */
    private final Set<TableId> copying = new HashSet<>();
    /** Tables created empty in this batch for their copy, which nothing but the copy touched yet. */
    private final Set<TableId> fresh = new HashSet<>();
    /** Tables whose copy finished in this batch. */
    private final List<TableId> copied = new ArrayList<>();
    /** Tables a part of whose copy this batch holds: their copied rows are new to the target. */
    private final Set<TableId> appending = new HashSet<>();
    /** The progress of the copies this batch holds a part of. */
    private final Map<TableId, String> progress = new HashMap<>();

    private Lsn transactionLsn = Lsn.NONE;
    private Instant transactionTime = Instant.now();

    /** Begins the batch's transaction on the connection: what every transaction of a batch starts with. */
    @FunctionalInterface
    interface Opener {
        void begin(Connection connection) throws SQLException;
    }

    /**
     * {@code connection}: the session's, not in a transaction; {@code opener} begins the batch's transaction on
     * it; {@code stage} is the session's shared staging table, null to stage table by table.
     */
    BatchWork(Connection connection, Opener opener, StagingLoader loader, ValueFailures failures, SharedStage stage)
            throws SQLException {
        this.connection = connection;
        this.opener = opener;
        this.loader = loader;
        this.failures = failures;
        this.stager = new RowStager(failures, loader);
        this.sharedStage = stage;
        this.shared = stage == null ? null : new SharedLoad(stage, loader, connection);
        if (stage == null) {
            connection();
        }
    }

    /**
     * The connection with the batch's transaction open: opened by the first call. A direct load loading in the
     * background is waited for first: the connection is used by one thread at a time.
     */
    Connection connection() throws SQLException {
        directs.settle();
        return opened();
    }

    private Connection opened() throws SQLException {
        if (!open) {
            opener.begin(connection);
            open = true;
        }
        return connection;
    }

    /**
     * Waits for what {@code work} (may be null) loads in the background, whatever it met: the batch failed, and
     * its rollback comes next.
     */
    static void settleQuietly(BatchWork work) {
        try {
            if (work != null) {
                work.directs.settle();
            }
        } catch (RuntimeException e) {
            LOG.debug("A background load ended with {} as its batch failed", e.toString());
        }
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

    /**
     * A copy's event: its start (its rows replace the target's whole), a part of it (its rows that follow are not
     * in the target: what is staged of the table goes in first, then they may go straight in), or its end. The
     * progress it carries is recorded with the table when the batch commits.
     */
    void copy(SnapshotEvent event) throws SQLException {
        TableId table = event.table();
        switch (event.phase()) {
            case STARTED -> copying.add(table);
            case CHUNK -> {
                merge(table);
                appending.add(table);
            }
            case FINISHED -> {
                copied.add(table);
                progress.remove(table);
                return;
            }
        }
        if (!event.progress().isEmpty()) {
            progress.put(table, event.progress());
        }
    }

    /** The copies this batch leaves in part, with the progress of each one's last part. */
    Map<TableId, String> copyProgress() {
        Map<TableId, String> left = new HashMap<>(progress);
        copied.forEach(left::remove);
        return left;
    }

    /** Whether {@code table}'s copy began in this batch and this is its first description since. */
    boolean copyDescribed(TableId table) {
        return copying.remove(table);
    }

    /** {@code table} was created empty for its copy: the copy's rows may go straight into it. */
    void createdForCopy(TableId table) {
        fresh.add(table);
    }

    /** A schema change asks for another copy of {@code table}: one that finished before it does not count. */
    void copyRequested(TableId table) {
        copied.remove(table);
    }

    /** {@code from} was renamed to {@code to} in this batch (its staged rows merged): what the batch holds of it follows. */
    void renamed(TableId from, TableId to) {
        for (Set<TableId> set : List.of(copying, fresh, appending)) {
            if (set.remove(from)) {
                set.add(to);
            }
        }
        copied.replaceAll(t -> t.equals(from) ? to : t);
        if (progress.containsKey(from)) {
            progress.put(to, progress.remove(from));
        }
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
        if (change instanceof InsertEvent insert
                && (fresh.contains(table) || appending.contains(table))
                && DirectLoads.eligible(layout)) {
            // no wait for a load running in the background: the direct load's rows go to files meanwhile
            directs.add(opened(), loader, layout, stager.values(layout, insert.row(), transactionLsn));
            return;
        }
        // what follows may use the connection (a shared load's INSERTs)
        directs.settle();
        // anything but a copied row: the direct load (if any) is done first
        fresh.remove(table);
        appending.remove(table);
        directs.finish(table);
        Staging staging = staged.get(table);
        if (staging == null) {
            staging = staging(layout);
            staged.put(table, staging);
        }
        stager.stage(staging, change, transactionLsn);
    }

    /** A new staging of {@code layout}'s rows: a part of the shared table when it can share, else its own. */
    private Staging staging(TargetTable layout) {
        StageTable stage = StageTable.of(layout, stagingNumber + 1);
        stagingNumber = stage.number();
        List<Integer> slots = sharedStage == null ? null : sharedStage.slots(layout);
        if (slots == null) {
            return new Staging(this::connection, stage, loader, null);
        }
        shared.assigned();
        return new Staging(this::connection, stage.in(sharedStage.name(), slots), loader, shared);
    }

    /** Whether {@code table} was created empty in this batch and holds nothing yet (a truncate has nothing to do). */
    boolean emptyForCopy(TableId table) {
        return fresh.contains(table) && !directs.open(table);
    }

    /** Merges {@code table}'s staged rows and finishes its direct load (before its layout changes, or a truncate). */
    void merge(TableId table) throws SQLException {
        fresh.remove(table);
        appending.remove(table);
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

    /** Loads what is still staged in the shared table's load (before the merges, outside the transaction). */
    void finishLoads() throws SQLException {
        directs.settle();
        if (shared != null) {
            shared.finish();
        }
    }

    /** Writes the values set aside in this batch to the errors table; empties the shared staging table. */
    void recordSetAside() throws SQLException {
        failures.flush(connection());
        if (shared != null) {
            shared.empty(connection());
        }
    }

    /** Releases every load the batch still holds (after a failure the rollback takes their rows). */
    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
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

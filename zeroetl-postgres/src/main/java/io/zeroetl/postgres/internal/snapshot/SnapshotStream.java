package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.postgres.internal.PgErrors;
import io.zeroetl.spi.StreamItem;
import io.zeroetl.spi.StreamOpening;
import io.zeroetl.spi.WalStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy, then the stream. Every table is copied inside the snapshot exported when a slot was created, by
 * parallel workers (each table split into block ranges where PostgreSQL can scan them directly, 14 and later),
 * and served as typed events (never as protocol messages, so nothing a database user writes to the log can
 * pass for it) committing at the slot's consistent point: the copies' start, the tables' Relations, a Truncate
 * of the tables, an Insert per row (decoded by the workers) and each table's end. Then the replication stream
 * continues from that point, so nothing is missed or applied twice.
 *
 * <p>A copy {@linkplain CopyPlan#inParts in parts} commits as several transactions: the start, then one per group
 * of tasks (as many as there are workers), each carrying its rows and, per table, how far its copy stands (a
 * {@link CopyCheckpoint}: the ranges from the first block that the target then holds), so a copy cut off by a
 * crash resumes after its last committed group. A resumed table starts at its first range not committed,
 * first deleting and reading again the rows changed since ({@link CopyResumption}), or whole where keys cannot
 * mend the change ({@link CopyCheckpoint}).
 *
 * <p>The copy holds ACCESS SHARE locks on its tables: writes go on, DDL on them waits until the copy ends.
 */
public final class SnapshotStream implements WalStream {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStream.class);

    private final CopyPlan plan;
    private final Supplier<WalStream> after;
    private final Deque<ChangeEvent> pending = new ArrayDeque<>();
    private final Instant time;
    private final CopyGroups groups;
    private boolean started;
    private boolean committed;
    private WalStream delegate;
    private Lsn pendingAck = Lsn.NONE;
    private final List<TableId> pendingCopies = new ArrayList<>();

    private final Map<TableId, String> unavailable;
    private final Map<TableId, String> notes;

    /** Whether a copy without a following stream has handed out all of its transactions. */
    public boolean finished() {
        return committed && pending.isEmpty();
    }

    /**
     * A copy by {@code plan}; {@code after} opens the stream at the consistent point (null: the copy
     * alone); {@code unavailable} are the selected tables that cannot be replicated, with the reason.
     */
    public SnapshotStream(CopyPlan plan, Supplier<WalStream> after, Map<TableId, String> unavailable) {
        this(plan, after, unavailable, Map.of());
    }

    /** As above; {@code notes} say what of the tables the stream cannot deliver exactly. */
    public SnapshotStream(
            CopyPlan plan, Supplier<WalStream> after, Map<TableId, String> unavailable, Map<TableId, String> notes) {
        this.notes = Map.copyOf(notes);
        this.unavailable = Map.copyOf(unavailable);
        this.plan = plan;
        this.after = after;
        this.time = Instant.now();
        this.groups = new CopyGroups(plan, time, pending);
    }

    @Override
    public StreamOpening opening() {
        return new StreamOpening(true, unavailable, Set.of(), notes);
    }

    @Override
    public StreamItem read(Duration timeout) {
        if (delegate != null) {
            return delegate.read(timeout);
        }
        if (!started) {
            start();
        }
        if (!pending.isEmpty()) {
            return message(pending.poll());
        }
        if (committed) {
            if (after == null) {
                return null;
            }
            delegate = after.get();
            pendingCopies.forEach(delegate::copyTable);
            pendingCopies.clear();
            if (pendingAck.isAfter(Lsn.NONE)) {
                delegate.acknowledge(pendingAck);
            }
            return StreamItem.progress(plan.consistentPoint());
        }
        try {
            ChangeEvent next = groups.next(timeout.toMillis());
            if (groups.finished()) {
                committed = true;
                closeExport();
                LOG.info("Copy read; streaming continues from {}", plan.consistentPoint());
            }
            return next == null ? null : message(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void start() {
        started = true;
        List<CopyTable> tables = new ArrayList<>();
        List<TableId> whole = new ArrayList<>();
        Connection describe = importing();
        try {
            // each worker locks and checks every table again before reading it (CopyLocks.lockBeforeReading)
            CopyLocks.lockAll(describe, plan.tables());
            for (TableId id : plan.tables()) {
                CopyTable table = CopyTable.describe(describe, id, plan.types(), plan.generatedColumns());
                tables.add(table);
                if (groups.add(table)) {
                    whole.add(id);
                }
            }
        } catch (SQLException e) {
            closeQuietly(describe);
            if ("42P01".equals(e.getSQLState())) {
                // renamed or dropped since its copy was asked for: the stream opens again, and what the log says of
                // the table since (the rename, the drop) decides what is copied
                throw new RetriableException(
                        ErrorCode.CONNECTION,
                        "A table to copy no longer exists by its name (" + e.getMessage() + "): renamed or dropped"
                                + " since its copy was asked for; the stream opens again",
                        e);
            }
            throw PgErrors.classify("describing the tables to copy", e);
        }
        Lsn lsn = plan.consistentPoint();
        pending.add(new BeginEvent(0, lsn, time));
        // the copy's start comes first, so the target knows the whole table is replaced before it sees its layout
        for (CopyTable table : tables) {
            pending.add(new SnapshotEvent(
                    table.table,
                    whole.contains(table.table) ? SnapshotEvent.Phase.STARTED : SnapshotEvent.Phase.CHUNK,
                    groups.copied(table.table),
                    table.estimatedRows,
                    plan.inParts() ? groups.progress(table.table) : ""));
        }
        for (CopyTable table : tables) {
            pending.add(new RelationEvent(table.schema));
        }
        if (!whole.isEmpty()) {
            pending.add(new TruncateEvent(whole, false, false));
        }
        groups.deletions().forEach((table, keys) -> {
            // rows changed since the copy stopped: gone from the target, read again as they are now
            keys.forEach(key -> pending.add(new DeleteEvent(table, key, true, 64)));
            pending.add(new SnapshotEvent(
                    table, SnapshotEvent.Phase.CHUNK, groups.copied(table), -1, groups.progress(table)));
        });
        if (tables.isEmpty()) {
            closeQuietly(describe);
            pending.add(new CommitEvent(lsn, lsn, time));
            committed = true;
            closeExport();
            return;
        }
        if (plan.inParts() && groups.deletions().isEmpty()) {
            pending.add(new CommitEvent(lsn, lsn, time));
        }
        List<Connection> connections = new ArrayList<>(List.of(describe));
        for (int i = 1; i < groups.workersWanted(); i++) {
            connections.add(importing());
        }
        groups.start(connections);
    }

    /** A connection whose transaction sees the exported snapshot. */
    private Connection importing() {
        Connection c = plan.connections().regular();
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION SNAPSHOT '" + plan.snapshotName().replace("'", "''") + "'");
            }
            return c;
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the original error matters
            }
            throw PgErrors.classify("importing the exported snapshot", e);
        }
    }

    private StreamItem message(ChangeEvent event) {
        return StreamItem.of(plan.consistentPoint(), plan.consistentPoint(), event);
    }

    @Override
    public Optional<String> copyTable(TableId table) {
        if (after == null) {
            return Optional.of("a copy cannot start another copy");
        }
        if (delegate != null) {
            return delegate.copyTable(table);
        }
        pendingCopies.add(table);
        return Optional.empty();
    }

    @Override
    public void acknowledge(Lsn durable) {
        if (delegate != null) {
            delegate.acknowledge(durable);
        } else {
            pendingAck = durable;
        }
    }

    @Override
    public void close() {
        groups.close();
        closeExport();
        if (delegate != null) {
            delegate.close();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a copy connection", e);
        }
    }

    private void closeExport() {
        try {
            if (!plan.export().isClosed()) {
                plan.export().close();
            }
        } catch (SQLException e) {
            LOG.debug("closing the snapshot-exporting connection", e);
        }
    }
}

package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.postgres.internal.PgErrors;
import io.zeroetl.postgres.internal.replication.Connections;
import io.zeroetl.postgres.internal.types.PgTypes;
import io.zeroetl.spi.StreamItem;
import io.zeroetl.spi.StreamOpening;
import io.zeroetl.spi.WalStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initial copy, then the stream. Every selected table is copied inside the snapshot exported when
 * the slot was created, by parallel workers (each table split into block ranges where PostgreSQL can
 * scan them directly, 14 and later), and served as one transaction of typed events (never as protocol
 * messages, so nothing a database user writes to the log can pass for it) that commits at the slot's
 * consistent point: the copies' start, the tables' Relations, a Truncate of the tables, an Insert per row
 * (decoded by the copy workers) and each table's end. Then the replication stream continues from that point, so nothing is missed or applied twice.
 * The copy holds ACCESS SHARE locks on its tables: writes go on, DDL on them waits until the copy ends.
 */
public final class SnapshotStream implements WalStream {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStream.class);
    private static final int QUEUE_ROWS = 256;

    /** How the copy is to be done. */
    public record Plan(
            Connections connections,
            Connection export,
            String snapshotName,
            Lsn consistentPoint,
            List<TableId> tables,
            int parallelism,
            long blocksPerChunk,
            boolean rangeScans,
            PgTypes types,
            boolean generatedColumns,
            boolean rawText) {}

    private record Task(CopyTable table, long from, long to) {}

    private record TableDone(CopyTable table) {}

    private record Failed(RuntimeException error) {}

    private final Plan plan;
    private final Supplier<WalStream> after;
    private final Deque<ChangeEvent> pending = new ArrayDeque<>();
    private final BlockingQueue<Object> rows = new ArrayBlockingQueue<>(QUEUE_ROWS);
    private final Map<TableId, AtomicLong> copied = new ConcurrentHashMap<>();
    private final Map<TableId, AtomicInteger> tasksLeft = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final List<Connection> workerConnections = new ArrayList<>();
    private final Instant time;
    private int tablesLeft;
    private boolean started;
    private boolean committed;
    private WalStream delegate;
    private Lsn pendingAck = Lsn.NONE;
    private final List<TableId> pendingCopies = new ArrayList<>();

    private final Map<TableId, String> unavailable;
    private final Map<TableId, String> notes;

    /** Whether a copy without a following stream has handed out all of its transaction. */
    public boolean finished() {
        return committed && pending.isEmpty();
    }

    /**
     * A copy by {@code plan}; {@code after} opens the stream at the consistent point (null: the copy
     * alone); {@code unavailable} are the selected tables that cannot be replicated, with the reason.
     */
    public SnapshotStream(Plan plan, Supplier<WalStream> after, Map<TableId, String> unavailable) {
        this(plan, after, unavailable, Map.of());
    }

    /** As above; {@code notes} say what of the tables the stream cannot deliver exactly. */
    public SnapshotStream(
            Plan plan, Supplier<WalStream> after, Map<TableId, String> unavailable, Map<TableId, String> notes) {
        this.notes = Map.copyOf(notes);
        this.unavailable = Map.copyOf(unavailable);
        this.plan = plan;
        this.after = after;
        this.time = Instant.now();
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
        Object next;
        try {
            next = rows.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (next == null) {
            return null;
        }
        if (next instanceof InsertEvent insert) {
            return message(insert);
        }
        if (next instanceof Failed failed) {
            throw failed.error();
        }
        CopyTable done = ((TableDone) next).table();
        long count = copied.get(done.table).get();
        pending.add(new SnapshotEvent(done.table, SnapshotEvent.Phase.FINISHED, count, done.estimatedRows));
        if (--tablesLeft == 0) {
            Lsn lsn = plan.consistentPoint();
            pending.add(new CommitEvent(lsn, lsn, time));
            committed = true;
            closeExport();
            LOG.info("Initial copy read; streaming continues from {}", plan.consistentPoint());
        }
        return message(pending.poll());
    }

    private void start() {
        started = true;
        List<CopyTable> tables = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        Connection describe = importing();
        try {
            if (!plan.tables().isEmpty()) {
                // DDL resolves names against the current catalog, not the snapshot: hold it off while copying
                try (Statement s = describe.createStatement()) {
                    s.execute("LOCK TABLE "
                            + String.join(
                                    ", ",
                                    plan.tables().stream().map(TableId::quoted).toList()) + " IN ACCESS SHARE MODE");
                }
                checkNotRewritten(describe);
            }
            for (TableId id : plan.tables()) {
                CopyTable table = CopyTable.describe(describe, id, plan.types(), plan.generatedColumns());
                tables.add(table);
                copied.put(id, new AtomicLong());
                List<Task> own = split(table);
                tasksLeft.put(id, new AtomicInteger(own.size()));
                tasks.addAll(own);
            }
        } catch (SQLException e) {
            throw PgErrors.classify("describing the tables to copy", e);
        }
        Lsn lsn = plan.consistentPoint();
        pending.add(new BeginEvent(0, lsn, time));
        // the copy's start comes first, so the target knows the whole table is replaced before it sees its layout
        for (CopyTable table : tables) {
            pending.add(new SnapshotEvent(table.table, SnapshotEvent.Phase.STARTED, 0, table.estimatedRows));
        }
        for (CopyTable table : tables) {
            pending.add(new RelationEvent(table.schema));
        }
        if (!tables.isEmpty()) {
            pending.add(new TruncateEvent(tables.stream().map(t -> t.table).toList(), false, false));
        }
        tablesLeft = tables.size();
        if (tables.isEmpty()) {
            pending.add(new CommitEvent(lsn, lsn, time));
            committed = true;
            closeExport();
            return;
        }
        ArrayBlockingQueue<Task> work = new ArrayBlockingQueue<>(Math.max(1, tasks.size()), false, tasks);
        int count = Math.max(1, Math.min(plan.parallelism(), tasks.size()));
        workerConnections.add(describe);
        for (int i = 0; i < count; i++) {
            Connection c = i == 0 ? describe : importing();
            if (i > 0) {
                workerConnections.add(c);
            }
            Thread worker = new Thread(() -> copy(c, work), "zeroetl-copy-" + (i + 1));
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /**
     * TRUNCATE and the ALTER TABLE forms that rewrite a table (a column's type, a volatile default), VACUUM FULL
     * and CLUSTER are not MVCC-safe: a transaction whose snapshot is older than them sees the table empty. One
     * that committed after the copy's snapshot was exported and before its lock was taken would make the copy
     * read nothing, silently. The lock now keeps them off; whether one came before it shows as a file node the
     * snapshot's own view of {@code pg_class} does not have. Then the copy starts over, with a new snapshot.
     */
    private void checkNotRewritten(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT cl.relfilenode <> pg_relation_filenode(cl.oid)"
                + " FROM pg_class cl WHERE cl.oid = to_regclass(?)")) {
            for (TableId table : plan.tables()) {
                ps.setString(1, table.quoted());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        throw new RetriableException(
                                ErrorCode.CONNECTION,
                                table + " was rewritten or truncated"
                                        + " (TRUNCATE, ALTER TABLE ... TYPE, VACUUM FULL) after the copy's snapshot was taken,"
                                        + " so the copy would see it empty; the copy starts over with a new snapshot",
                                null);
                    }
                }
            }
        }
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

    private List<Task> split(CopyTable table) {
        List<Task> tasks = new ArrayList<>();
        if (!plan.rangeScans() || table.blocks < 2 * plan.blocksPerChunk()) {
            tasks.add(new Task(table, 0, -1));
            return tasks;
        }
        for (long from = 0; from < table.blocks; from += plan.blocksPerChunk()) {
            long to = from + plan.blocksPerChunk();
            tasks.add(new Task(table, from, to >= table.blocks ? -1 : to));
        }
        return tasks;
    }

    private void copy(Connection c, BlockingQueue<Task> work) {
        try {
            Task task;
            CopyTable.readTextAsStored(c, plan.rawText());
            while ((task = work.poll()) != null) {
                CopyOut out = c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyOut(task.table().copySql(task.from(), task.to()));
                AtomicLong count = copied.get(task.table().table);
                byte[] row;
                while ((row = out.readFromCopy()) != null) {
                    rows.put(new InsertEvent(task.table().table, CopyRows.row(task.table(), row), 64 + row.length * 2));
                    count.incrementAndGet();
                }
                if (tasksLeft.get(task.table().table).decrementAndGet() == 0) {
                    rows.put(new TableDone(task.table()));
                }
            }
            c.commit();
        } catch (SQLException e) {
            offer(new Failed(CopyTable.failure(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            offer(new Failed(e));
        }
    }

    private void offer(Object item) {
        try {
            rows.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        for (Thread worker : workers) {
            worker.interrupt();
        }
        for (Connection c : workerConnections) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a copy connection", e);
            }
        }
        closeExport();
        if (delegate != null) {
            delegate.close();
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

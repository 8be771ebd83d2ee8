package io.zeroetl.postgres.internal.replication;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.postgres.internal.PgErrors;
import io.zeroetl.postgres.internal.pgoutput.PgOutputDecoder;
import io.zeroetl.postgres.internal.snapshot.CopyResumption;
import io.zeroetl.postgres.internal.snapshot.SnapshotStream;
import io.zeroetl.spi.StreamItem;
import io.zeroetl.spi.StreamOpening;
import io.zeroetl.spi.WalStream;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open replication stream. When no data is pending it reports the server's position (learned from
 * keepalives) as progress, which the engine may acknowledge when nothing is in flight.
 */
final class PgWalStream implements WalStream {
    private static final Logger LOG = LoggerFactory.getLogger(PgWalStream.class);
    private static final long MIN_FORCED_UPDATE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Connection connection;
    private final PGReplicationStream stream;
    private Lsn lastData = Lsn.NONE;
    private Lsn lastProgress = Lsn.NONE;
    private long lastForcedUpdate;

    /** A copy in preparation or being served: its stream and consistent point. */
    record Copy(SnapshotStream stream, Lsn consistentPoint) {}

    private final Map<TableId, String> unavailable;
    private final Map<TableId, String> notes;
    private final Function<TableId, Copy> copier;
    private final Function<TableId, String> admit;
    private final Queue<TableId> copies = new ArrayDeque<>();
    /** Copies in parts this stream resumes, and how their copy is made (once, first). */
    private CopyResumption resumption;

    private Supplier<Copy> resumeCopier;
    private Copy copy;
    private Lsn copyPoint = Lsn.NONE;
    /** A transaction's first events, decoded, held back while a copy that goes before it is served. */
    private List<StreamItem> held;
    /** Where the Stream Commit being replayed was received: the position of each of its changes. */
    private Lsn replayAt = Lsn.NONE;

    private boolean inSegment;
    private Lsn heldAt;
    private final Runnable heartbeat;
    private final long heartbeatNanos;
    private long lastHeartbeat = System.nanoTime();
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private long lastPoll;
    private boolean copyDue;
    /** Inside a transaction's messages (Begin to Commit): nothing of our own may go in there. */
    private boolean inTransaction;
    /** The end of the last transaction the stream delivered, or where it started. */
    private Lsn lastEnd;

    private final SourceHealth health;
    private final PgOutputDecoder decoder;
    /** Events decoded from one message and not yet handed out. */
    private final Queue<StreamItem> decoded = new ArrayDeque<>();
    /** The tables streamed: the selected ones, and those admitted since to be copied. */
    private final Set<TableId> streamed = new TreeSet<>();
    /** Transactions of our own (typed events), to go out at the next transaction boundary. */
    private final Queue<ChangeEvent> announced = new ArrayDeque<>();

    PgWalStream(
            Connection connection,
            PGReplicationStream stream,
            Map<TableId, String> unavailable,
            Map<TableId, String> notes,
            Runnable heartbeat,
            Duration heartbeatInterval,
            Function<TableId, String> admit,
            Function<TableId, Copy> copier,
            SourceHealth health,
            Set<TableId> tables,
            Lsn start,
            PgOutputDecoder decoder) {
        this.health = health;
        this.decoder = decoder;
        this.streamed.addAll(tables);
        this.lastEnd = start;
        this.admit = admit;
        this.copier = copier;
        this.heartbeat = heartbeat;
        this.heartbeatNanos = heartbeatInterval == null ? Long.MAX_VALUE : heartbeatInterval.toNanos();
        this.connection = connection;
        this.stream = stream;
        this.unavailable = new ConcurrentHashMap<>(unavailable);
        this.notes = Map.copyOf(notes);
    }

    @Override
    public StreamOpening opening() {
        Set<TableId> copying = new TreeSet<>(copies);
        if (resumption != null) {
            copying.addAll(resumption.progress().keySet());
        }
        return new StreamOpening(false, unavailable, copying, notes);
    }

    /** Resumes the copies {@code resumption} holds, by the copy {@code copier} makes, before any other. */
    void resume(CopyResumption resumption, Supplier<Copy> copier) {
        this.resumption = resumption;
        this.resumeCopier = copier;
        streamed.addAll(resumption.progress().keySet());
    }

    @Override
    public Optional<String> copyTable(TableId table) {
        String refused = admit.apply(table);
        if (refused != null) {
            return Optional.of(refused);
        }
        if (!copies.contains(table)) {
            copies.add(table);
        }
        if (streamed.add(table)) {
            // a partitioned table that joins takes its partitions' changes from now on
            decoder.joined(table);
        }
        return Optional.empty();
    }

    /**
     * Asks the source whether it still tells us everything ({@link SourceHealth}); what it finds goes out as a
     * transaction of our own at the next transaction boundary, so the engine copies those tables again.
     */
    private void checkHealth() {
        List<SchemaChangeEvent> changes = health.check(Set.copyOf(streamed));
        if (changes.isEmpty()) {
            return;
        }
        announced.addAll(OwnTransaction.of(lastEnd, changes));
    }

    /**
     * {@code tables} were dropped while the pipeline did not stream: said as drops, at the stream's start, so
     * the engine ends them DROPPED (as the trigger's message of the drop would, when it was captured).
     */
    void dropped(Set<TableId> tables) {
        if (!tables.isEmpty()) {
            announced.addAll(OwnTransaction.of(lastEnd, OwnTransaction.drops(tables)));
        }
    }

    /** {@code table} cannot be streamed, for {@code reason}: said in {@link #unavailableTables()}. */
    void unavailable(TableId table, String reason) {
        unavailable.put(table, reason);
    }

    /**
     * Serves a pending copy where it belongs: a temporary slot's exported snapshot holds exactly the
     * transactions that commit before its consistent point, so the copy goes in just before the first
     * transaction committing at or after that point (or as soon as the stream is past it).
     */
    private StreamItem serveCopy(List<StreamItem> next, Lsn received, Duration timeout) {
        if (copy == null) {
            TableId table = resumeCopier != null ? null : copies.poll();
            if (table == null && resumeCopier == null) {
                return null;
            }
            copy = table != null ? copier.apply(table) : resumeCopier.get();
            resumeCopier = null;
            copyPoint = copy.consistentPoint();
        }
        // a copy begins only between transactions: never inside a stream segment of an in-progress transaction
        // (protocol v2: the decoder would take the copy's messages for that transaction's), never between a
        // transaction's Begin and its Commit; once it began, it is served to its end, and what the stream sends
        // meanwhile waits (held)
        boolean due = copyDue
                || !inSegment
                        && (next == null
                                ? !inTransaction && !received.isBefore(copyPoint)
                                : beginsAtOrAfter(next, copyPoint));
        copyDue = due;
        if (!due) {
            return null;
        }
        if (next != null) {
            held = next;
            heldAt = received;
        }
        StreamItem m = copy.stream().read(timeout);
        if (copy.stream().finished()) {
            copy.stream().close();
            copy = null;
            copyDue = false;
        }
        return m == null ? StreamItem.progress(Lsn.NONE) : m;
    }

    /** Whether {@code items} begin a transaction that commits at or after {@code point}. */
    private static boolean beginsAtOrAfter(List<StreamItem> items, Lsn point) {
        return !items.isEmpty()
                && items.get(0).event() instanceof BeginEvent begin
                && !begin.commitLsn().isBefore(point);
    }

    /**
     * The next event, decoded here from the stream's pgoutput messages (one message may make several events,
     * handed out one per read), or a copy's event, or a transaction of our own, or progress.
     */
    @Override
    public StreamItem read(Duration timeout) {
        StreamItem ready = decoded.poll();
        if (ready == null) {
            StreamItem item = next(timeout);
            ready = item != null ? item : decoded.poll();
        }
        return ready == null || resumption == null ? ready : resumption.filter(ready);
    }

    /**
     * Decodes {@code message}, received at {@code at}, once: its events, and what they say of where the stream
     * stands (in a transaction, in a streamed transaction's segment, the end of the last commit).
     */
    private List<StreamItem> decode(ByteBuffer message, Lsn at) {
        if (decoder.replaying()) {
            // what comes next belongs after the replayed transaction's Commit: decoding it now would put it inside
            throw new IllegalStateException("a message was read while a streamed transaction was being handed on");
        }
        lastData = at;
        replayAt = at;
        List<StreamItem> items = new ArrayList<>(2);
        decoder.decode(message, event -> items.add(noted(event, at)));
        inSegment = decoder.inStreamSegment();
        return items;
    }

    /** {@code event}, received at {@code at}, as an item; a Begin or a Commit moves where the stream stands. */
    private StreamItem noted(ChangeEvent event, Lsn at) {
        if (event instanceof SchemaChangeEvent change
                && change.renamedFrom() != null
                && streamed.contains(change.renamedFrom())
                && streamed.add(change.table())) {
            // a streamed table renamed: checked and routed to by its new name
            decoder.reroutePartitions();
        }
        if (event instanceof BeginEvent) {
            inTransaction = true;
        } else if (event instanceof CommitEvent commit) {
            inTransaction = false;
            lastEnd = commit.endLsn();
        }
        return StreamItem.of(at, at, event);
    }

    /** Queues {@code items} to be handed out in order; returns the first queued item, or null. */
    private StreamItem deliver(List<StreamItem> items) {
        decoded.addAll(items);
        return decoded.poll();
    }

    private StreamItem next(Duration timeout) {
        if (held != null && copy == null) {
            List<StreamItem> items = held;
            held = null;
            return deliver(items);
        }
        if (decoder.replaying()) {
            if (copy != null && held != null) {
                // the replayed transaction's Begin is held: the copy that goes before it comes first
                return serveCopy(held, heldAt, timeout);
            }
            // a committed streamed transaction's changes, one kept message per read (never all in memory);
            // nothing else may come between them: no message read, no copy begun
            List<StreamItem> items = new ArrayList<>(2);
            decoder.replayNext(event -> items.add(noted(event, replayAt)));
            return deliver(items);
        }
        if (copy == null && !inTransaction && !inSegment) {
            if (announced.isEmpty() && health.due()) {
                checkHealth();
            }
            ChangeEvent own = announced.poll();
            if (own != null) {
                return StreamItem.of(lastEnd, lastEnd, own);
            }
        }
        if (copy != null && held != null) {
            return serveCopy(held, heldAt, timeout);
        }
        if (copy != null && copyDue && System.nanoTime() - lastPoll < POLL_NANOS) {
            // a copy being served: its rows come without polling the socket for each (an idle socket costs a
            // millisecond a poll in pgjdbc); the stream is still polled often enough to send its status
            return serveCopy(null, Lsn.of(stream.getLastReceiveLSN().asLong()), timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int idle = 0;
        try {
            while (true) {
                ByteBuffer message = stream.readPending();
                lastPoll = System.nanoTime();
                Lsn received = Lsn.of(stream.getLastReceiveLSN().asLong());
                List<StreamItem> items = message == null ? null : decode(message, received);
                if (copy != null || !copies.isEmpty() || resumeCopier != null) {
                    StreamItem copied = serveCopy(items, received, timeout);
                    if (copied != null) {
                        return copied;
                    }
                }
                if (items != null) {
                    return deliver(items);
                }
                // caught up: everything before the last position heard of (data or keepalive) was delivered
                if (received.isAfter(lastProgress) && !received.isBefore(lastData)) {
                    lastProgress = received;
                    return StreamItem.progress(received);
                }
                if (System.nanoTime() - lastHeartbeat >= heartbeatNanos) {
                    lastHeartbeat = System.nanoTime();
                    heartbeat.run();
                }
                if (System.nanoTime() >= deadline) {
                    return null;
                }
                idle++;
                TimeUnit.MICROSECONDS.sleep(idle < 10 ? 100 : 2000);
            }
        } catch (SQLException e) {
            throw PgErrors.classify("reading the replication stream", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void acknowledge(Lsn durable) {
        LogSequenceNumber lsn =
                LogSequenceNumber.valueOf((resumption == null ? durable : resumption.acknowledgeable(durable)).value());
        stream.setFlushedLSN(lsn);
        stream.setAppliedLSN(lsn);
        long now = System.nanoTime();
        if (now - lastForcedUpdate >= MIN_FORCED_UPDATE_NANOS) {
            lastForcedUpdate = now;
            try {
                stream.forceUpdateStatus();
            } catch (SQLException e) {
                throw PgErrors.classify("acknowledging to the source", e);
            }
        }
    }

    @Override
    public void close() {
        if (copy != null) {
            copy.stream().close();
        }
        try {
            if (!stream.isClosed()) {
                stream.forceUpdateStatus();
                stream.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing the replication stream", e);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the replication connection", e);
        }
    }
}

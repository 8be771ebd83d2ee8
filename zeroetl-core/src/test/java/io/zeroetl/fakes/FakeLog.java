package io.zeroetl.fakes;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An in-memory source log: transactions appended by the test, each event at its own position. Streams
 * read it from any position. Thread-safe.
 */
public final class FakeLog {
    /** One event and where it lies. */
    public record Entry(Lsn position, ChangeEvent event) {}

    private final List<Entry> entries = new ArrayList<>();
    private long nextPosition = 0x1000;
    private long nextXid = 700;
    private int rowSize = 200;
    private long openCommitAt;
    private Instant openTime;

    /** Row events will claim {@code bytes} each. */
    public synchronized FakeLog rowSize(int bytes) {
        this.rowSize = bytes;
        return this;
    }

    /** Appends a committed transaction inserting rows with these ids into {@code table}. */
    public synchronized Lsn insert(TableId table, int... ids) {
        return transaction(xid -> {
            List<ChangeEvent> events = new ArrayList<>();
            events.add(new RelationEvent(schema(table)));
            for (int id : ids) {
                events.add(new InsertEvent(table, Row.of(id, "row-" + id), rowSize));
            }
            return events;
        });
    }

    /** Appends an initial copy of {@code table} with rows of these ids, as a source's snapshot sends it. */
    public synchronized Lsn snapshot(TableId table, int... ids) {
        return transaction(xid -> {
            List<ChangeEvent> events = new ArrayList<>();
            // in the order a source's copy sends them: the copy's start, the description, then the truncate
            events.add(new SnapshotEvent(table, SnapshotEvent.Phase.STARTED, 0, ids.length));
            events.add(new RelationEvent(schema(table)));
            events.add(new TruncateEvent(List.of(table), false, false));
            for (int id : ids) {
                events.add(new InsertEvent(table, Row.of(id, "row-" + id), rowSize));
            }
            events.add(new SnapshotEvent(table, SnapshotEvent.Phase.FINISHED, ids.length, ids.length));
            return events;
        });
    }

    /** Appends a transaction made of {@code body}'s events; returns its end position. */
    public synchronized Lsn transaction(Function<Long, List<ChangeEvent>> body) {
        long xid = nextXid++;
        Instant time = Instant.now();
        List<ChangeEvent> events = body.apply(xid);
        long beginAt = advance();
        long commitAt = beginAt + 100L * (events.size() + 1);
        entries.add(new Entry(Lsn.of(beginAt), new BeginEvent(xid, Lsn.of(commitAt), time)));
        for (ChangeEvent event : events) {
            entries.add(new Entry(Lsn.of(advance()), event));
        }
        long at = advance();
        Lsn end = Lsn.of(at + 50);
        entries.add(new Entry(Lsn.of(at), new CommitEvent(Lsn.of(at), end, time)));
        nextPosition = at + 100;
        return end;
    }

    /** Appends an unfinished transaction (no commit yet) with rows inserting these ids. */
    public synchronized void openTransaction(TableId table, int... ids) {
        long xid = nextXid++;
        openCommitAt = nextPosition + 100_000;
        openTime = Instant.now();
        entries.add(new Entry(Lsn.of(advance()), new BeginEvent(xid, Lsn.of(openCommitAt), openTime)));
        entries.add(new Entry(Lsn.of(advance()), new RelationEvent(schema(table))));
        for (int id : ids) {
            entries.add(new Entry(Lsn.of(advance()), new InsertEvent(table, Row.of(id, "row-" + id), rowSize)));
        }
    }

    /** Commits the transaction {@link #openTransaction} began; returns its end position. */
    public synchronized Lsn commitOpenTransaction() {
        Lsn end = Lsn.of(openCommitAt + 50);
        entries.add(new Entry(Lsn.of(openCommitAt), new CommitEvent(Lsn.of(openCommitAt), end, openTime)));
        nextPosition = openCommitAt + 100;
        return end;
    }

    /** Moves the log's end without a replicated change (e.g. writes to other tables). */
    public synchronized Lsn advanceWithoutChanges(long bytes) {
        nextPosition += bytes;
        return Lsn.of(nextPosition);
    }

    /** The current end of the log. */
    public synchronized Lsn end() {
        return Lsn.of(nextPosition);
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized Entry get(int index) {
        return entries.get(index);
    }

    /** The index of the first entry after {@code position}. */
    synchronized int indexAfter(Lsn position) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).position().isAfter(position)) {
                return i;
            }
        }
        return entries.size();
    }

    private long advance() {
        long at = nextPosition;
        nextPosition += 100;
        return at;
    }

    /** A two-column schema (id key, note) for {@code table}. */
    public static TableSchema schema(TableId table) {
        return new TableSchema(
                table,
                List.of(
                        new Column("id", ColumnType.named("int4", ValueType.INT32), true, false),
                        new Column("note", ColumnType.named("text", ValueType.STRING), false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
    }
}

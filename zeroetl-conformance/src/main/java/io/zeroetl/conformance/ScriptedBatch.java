package io.zeroetl.conformance;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.spi.Batch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A batch of whole transactions written out in a test: each {@link #transaction} gets the next commit
 * position. It can be told to break after some events, as a stream that is cut off mid-batch does.
 */
public final class ScriptedBatch implements Batch {
    private final List<ChangeEvent> events = new ArrayList<>();
    private long next;
    private int breakAfter = -1;
    private int read;
    private Lsn end = Lsn.NONE;
    private Instant lastCommit;
    private Optional<Map<TableId, TableId>> firstNames = Optional.empty();

    /**
     * A batch whose first transaction commits at {@code firstCommit}.
     *
     * @param firstCommit the first commit position (positive)
     */
    public ScriptedBatch(long firstCommit) {
        this.next = firstCommit;
    }

    /**
     * Adds a transaction of {@code changes}, in order.
     *
     * @param changes the changes (relation events included)
     * @return this batch
     */
    public ScriptedBatch transaction(ChangeEvent... changes) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(next);
        Lsn commit = Lsn.of(next);
        events.add(new BeginEvent(next, commit, at));
        for (ChangeEvent change : changes) {
            events.add(Objects.requireNonNull(change, "change"));
        }
        events.add(new CommitEvent(commit, Lsn.of(next + 1), at));
        end = Lsn.of(next + 1);
        lastCommit = at;
        next += 10;
        return this;
    }

    /**
     * Makes {@link #next()} throw a retriable failure once {@code count} events were read, as a stream that
     * breaks mid-batch does.
     *
     * @param count events delivered before the break
     * @return this batch
     */
    public ScriptedBatch breakingAfter(int count) {
        this.breakAfter = count;
        return this;
    }

    /**
     * Makes the batch give {@code names} from {@link #firstNames()}: the names renamed tables go by, as of it.
     *
     * @param names each renamed table's name now with its first name
     * @return this batch
     */
    public ScriptedBatch withFirstNames(Map<TableId, TableId> names) {
        this.firstNames = Optional.of(Map.copyOf(names));
        return this;
    }

    /** {@return the same transactions from the start, unbroken} */
    public ScriptedBatch again() {
        ScriptedBatch copy = new ScriptedBatch(0);
        copy.events.addAll(events);
        copy.end = end;
        copy.lastCommit = lastCommit;
        copy.next = next;
        copy.firstNames = firstNames;
        return copy;
    }

    @Override
    public ChangeEvent next() {
        if (read == breakAfter) {
            throw new RetriableException(ErrorCode.CONNECTION, "the stream broke mid-batch (scripted)");
        }
        return read < events.size() ? events.get(read++) : null;
    }

    @Override
    public Lsn endPosition() {
        return end;
    }

    @Override
    public Optional<Map<TableId, TableId>> firstNames() {
        return firstNames;
    }

    @Override
    public Instant lastCommitTime() {
        return lastCommit;
    }
}

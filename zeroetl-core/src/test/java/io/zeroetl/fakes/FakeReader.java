package io.zeroetl.fakes;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.spi.StreamItem;
import io.zeroetl.spi.StreamOpening;
import io.zeroetl.spi.StreamRequest;
import io.zeroetl.spi.WalReader;
import io.zeroetl.spi.WalStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Streams a {@link FakeLog}'s events, typed, as a source's stream decodes its own. When caught up it reports progress to the log's end, as a source's keepalive would. It
 * checks the one rule that loses data when broken: no acknowledgement beyond what the target committed.
 */
public final class FakeReader implements WalReader {
    private final FakeLog log;
    private final Supplier<Lsn> committedInTarget;
    private final List<StreamRequest> opened = new CopyOnWriteArrayList<>();
    private final List<Lsn> acknowledged = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<TableId> copyRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger readFailuresToInject = new AtomicInteger();
    private final AtomicInteger failReadAtIndex = new AtomicInteger(-1);
    private volatile List<String> warnings = List.of();
    private volatile boolean resendFromStart;
    private volatile boolean snapshotFirst;
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger positionFailures = new AtomicInteger();

    /** A reader of {@code log} whose acknowledgements are checked against {@code committedInTarget}. */
    public FakeReader(FakeLog log, Supplier<Lsn> committedInTarget) {
        this.log = log;
        this.committedInTarget = committedInTarget;
    }

    /** Every stream starts at the log's beginning, whatever position is asked for (like an old restart_lsn). */
    public FakeReader resendFromStart() {
        this.resendFromStart = true;
        return this;
    }

    /** Streams opened without a target position say they start with the log's snapshot transaction. */
    public FakeReader snapshotFirst() {
        this.snapshotFirst = true;
        return this;
    }

    /** The stream breaks (connection lost) once, when it is about to deliver entry {@code index}. */
    public FakeReader breakOnceAt(int index) {
        failReadAtIndex.set(index);
        readFailuresToInject.set(1);
        return this;
    }

    /** What the source's health check says from now on (see {@link WalReader#warnings()}). */
    public void warn(String... found) {
        warnings = List.of(found);
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    /** How many log entries streams have delivered in all. */
    public int delivered() {
        return delivered.get();
    }

    /** Tables the engine asked a stream to copy again, in order. */
    public List<TableId> copyRequests() {
        return copyRequests;
    }

    public List<StreamRequest> opened() {
        return opened;
    }

    public List<Lsn> acknowledged() {
        return acknowledged;
    }

    /** Acknowledgements that went beyond the target's committed position. */
    public List<String> violations() {
        return violations;
    }

    @Override
    public WalStream open(StreamRequest request) {
        opened.add(request);
        int start = resendFromStart ? 0 : log.indexAfter(request.resumeAfter());
        return new Stream(start, snapshotFirst && request.resumeAfter().equals(Lsn.NONE));
    }

    /** The next {@code times} asks for the source's position fail as a lost connection would. */
    public FakeReader positionUnreachable(int times) {
        positionFailures.set(times);
        return this;
    }

    @Override
    public Lsn currentPosition() {
        if (positionFailures.getAndDecrement() > 0) {
            throw new RetriableException(ErrorCode.CONNECTION, "fake: the source cannot be reached");
        }
        return log.end();
    }

    private final class Stream implements WalStream {
        private int next;
        private boolean progressSent;
        private final boolean snapshot;

        Stream(int start, boolean snapshot) {
            this.next = start;
            this.snapshot = snapshot;
        }

        @Override
        public StreamOpening opening() {
            return snapshot ? new StreamOpening(true, Map.of(), Set.of(), Map.of()) : StreamOpening.PLAIN;
        }

        @Override
        public Optional<String> copyTable(TableId table) {
            copyRequests.add(table);
            return Optional.empty();
        }

        @Override
        public StreamItem read(Duration timeout) {
            if (next < log.size()) {
                if (next == failReadAtIndex.get() && readFailuresToInject.getAndDecrement() > 0) {
                    throw new RetriableException(ErrorCode.CONNECTION, "fake connection lost at entry " + next);
                }
                FakeLog.Entry entry = log.get(next);
                next++;
                delivered.incrementAndGet();
                progressSent = false;
                return StreamItem.of(entry.position(), log.end(), entry.event());
            }
            if (!progressSent) {
                progressSent = true;
                return StreamItem.progress(log.end());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(Math.min(timeout.toMillis(), 5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            progressSent = false;
            return null;
        }

        @Override
        public void acknowledge(Lsn durable) {
            Lsn committed = committedInTarget.get();
            boolean idleProgress = durable.compareTo(log.end()) <= 0 && noUnappliedCommitBefore(durable, committed);
            if (durable.isAfter(committed) && !idleProgress) {
                violations.add("acknowledged " + durable + " while the target had committed only " + committed);
            }
            acknowledged.add(durable);
        }

        /** Whether every transaction ending at or before {@code position} is committed in the target. */
        private boolean noUnappliedCommitBefore(Lsn position, Lsn committed) {
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).event() instanceof CommitEvent commit
                        && !commit.endLsn().isAfter(position)
                        && commit.endLsn().isAfter(committed)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {}
    }
}

package io.zeroetl.fakes;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.Batch;
import io.zeroetl.spi.ChangeApplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * An in-memory target. Each batch is read whole into a private list and only then "committed", with its
 * position, in one step; a failure injected on the way leaves nothing behind, as a rolled-back
 * transaction would.
 */
public final class FakeApplier implements ChangeApplier {
    private final List<List<ChangeEvent>> batches = new CopyOnWriteArrayList<>();
    private final List<ApplierContext> starts = new CopyOnWriteArrayList<>();
    private volatile Lsn committed = Lsn.NONE;
    private volatile BiConsumer<Integer, ChangeEvent> onEvent = (index, event) -> {};
    private volatile RuntimeException startFailure;
    private volatile boolean closed;
    private volatile Set<TableId> copied;
    /** The copies committed in part, with the progress their last committed part recorded. */
    private final Map<TableId, String> progress = new ConcurrentHashMap<>();

    /** A target that already holds data up to {@code position} (as after an earlier run). */
    public FakeApplier committedUpTo(Lsn position) {
        this.committed = position;
        return this;
    }

    /** Called with each event's index within its attempt and the event; may throw to fail the batch. */
    public FakeApplier onEvent(BiConsumer<Integer, ChangeEvent> hook) {
        this.onEvent = hook;
        return this;
    }

    /** The target records these tables as copied (absent: it keeps no such record). */
    public FakeApplier copied(TableId... tables) {
        this.copied = Set.of(tables);
        return this;
    }

    @Override
    public Optional<Set<TableId>> copiedTables() {
        return Optional.ofNullable(copied);
    }

    /** {@link #start} throws {@code failure}. */
    public FakeApplier failStart(RuntimeException failure) {
        this.startFailure = failure;
        return this;
    }

    /** The committed position. */
    public Lsn committed() {
        return committed;
    }

    /** The committed batches, each as the events it held. */
    public List<List<ChangeEvent>> batches() {
        return batches;
    }

    /** All committed events in commit order. */
    public List<ChangeEvent> events() {
        List<ChangeEvent> all = new ArrayList<>();
        batches.forEach(all::addAll);
        return all;
    }

    public List<ApplierContext> starts() {
        return starts;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public Optional<Lsn> start(ApplierContext context) {
        starts.add(context);
        RuntimeException failure = startFailure;
        if (failure != null) {
            throw failure;
        }
        return committed.equals(Lsn.NONE) ? Optional.empty() : Optional.of(committed);
    }

    @Override
    public void apply(Batch batch) {
        List<ChangeEvent> staged = new ArrayList<>();
        for (ChangeEvent event = batch.next(); event != null; event = batch.next()) {
            onEvent.accept(staged.size(), event);
            staged.add(event);
        }
        synchronized (this) {
            batches.add(List.copyOf(staged));
            committed = batch.endPosition();
            for (ChangeEvent event : staged) {
                if (event instanceof SnapshotEvent snapshot) {
                    if (snapshot.phase() == SnapshotEvent.Phase.FINISHED
                            || snapshot.progress().isEmpty()) {
                        progress.remove(snapshot.table());
                    } else {
                        progress.put(snapshot.table(), snapshot.progress());
                    }
                }
            }
        }
    }

    @Override
    public Map<TableId, String> copyProgress() {
        return Map.copyOf(progress);
    }

    @Override
    public void close() {
        closed = true;
    }
}

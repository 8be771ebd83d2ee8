package io.zeroetl.internal.engine;

import io.zeroetl.PipelineState;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.spi.StreamRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link ReaderLoop} of the apply thread: starts one at the target's position, stops it, and
 * keeps the copies asked for across reopenings.
 */
final class Readers {
    private static final Logger LOG = LoggerFactory.getLogger(Readers.class);

    private final Control control;
    private final Source source;
    private final EngineConfig config;
    private final EventQueue queue;
    private final CountDownLatch applierDone;
    private final TableTransitions transitions;
    private final Set<TableId> copyRequests = ConcurrentHashMap.newKeySet();
    private volatile ReaderLoop reader;

    Readers(
            Control control,
            Source source,
            EventQueue queue,
            CountDownLatch applierDone,
            TableTransitions transitions) {
        this.control = control;
        this.source = source;
        this.config = control.config();
        this.queue = queue;
        this.applierDone = applierDone;
        this.transitions = transitions;
    }

    /** The copies asked for and not yet committed. */
    Set<TableId> copyRequests() {
        return copyRequests;
    }

    /** Asks the reader to copy {@code table} again (pending requests survive a stream's reopening). */
    void requestCopy(TableId table) {
        copyRequests.add(table);
        ReaderLoop r = reader;
        if (r != null) {
            r.requestCopy(table);
        }
    }

    /** Starts a reader at the target's position; false when the pipeline is closing instead. */
    boolean start() {
        if (control.isClosing()) {
            return false;
        }
        control.attempting();
        // a table dropped at the source is not asked for again (the source no longer has it)
        // the tables as the pipeline knows them now: joined since the start, or renamed (a partitioned table's
        // partitions are routed to it by the name the stream has), and those the target holds that the source no
        // longer lists (asked for, so the source says they are gone)
        Set<TableId> tables = new HashSet<>(control.tables().snapshot().keySet());
        tables.addAll(transitions.vanished());
        tables.removeIf(t -> control.tables().stateOf(t) == TableState.DROPPED);
        Map<TableId, String> progress = new HashMap<>(transitions.copyProgress());
        progress.keySet().retainAll(tables);
        StreamRequest request = new StreamRequest(
                config.pipelineId(), tables, control.positions().applied(), progress);
        ReaderLoop next = new ReaderLoop(
                source.reader(),
                request,
                queue,
                control.positions(),
                control.shutdown(),
                applierDone,
                config.closeTimeout(),
                this::copyRefused);
        reader = next;
        copyRequests.forEach(next::requestCopy);
        config.threadFactory().newThread(next).start();
        try {
            if (next.awaitOpened()) {
                transitions.opened(next);
                control.opened();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /**
     * The source cannot copy {@code table}: gone from the source (dropped before its copy could start: it ends
     * DROPPED, as its drop would have made it), or refused for {@code why}, which fails it.
     */
    private void copyRefused(TableId table, String why) {
        copyRequests.remove(table);
        if (control.tables().stateOf(table) == TableState.DROPPED) {
            return;
        }
        if (gone(table)) {
            LOG.info("Pipeline {}: {} is gone from the source before it could be copied", config.pipelineId(), table);
            control.tables().set(table, TableState.DROPPED, "dropped at the source before it could be copied");
            return;
        }
        control.tables().set(table, TableState.FAILED, "cannot resync: " + why);
    }

    /** Whether the source says it has no {@code table} (false when it cannot say). */
    private boolean gone(TableId table) {
        try {
            return source.describesTables() && source.describe(table).isEmpty();
        } catch (RuntimeException e) {
            LOG.debug("Could not ask the source whether {} exists: {}", table, e.toString());
            return false;
        }
    }

    /** Stops the reader at once, without a word to the queue. */
    void abort() {
        ReaderLoop r = reader;
        if (r != null) {
            r.abort();
        }
    }

    /** Stops the reader (when closing, after it acknowledged what was committed) and waits for it. */
    void stop() {
        ReaderLoop r = reader;
        if (r == null) {
            return;
        }
        if (!control.isClosing() || control.lifecycle().get() == PipelineState.FAILED) {
            r.abort();
        }
        try {
            if (!r.awaitExit(config.closeTimeout())) {
                r.abort();
                if (!r.awaitExit(Duration.ofSeconds(5))) {
                    LOG.warn("The reader thread of pipeline {} did not stop", config.pipelineId());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader = null;
    }
}

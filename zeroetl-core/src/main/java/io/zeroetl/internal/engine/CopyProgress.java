package io.zeroetl.internal.engine;

import io.zeroetl.TableId;
import io.zeroetl.change.SnapshotEvent;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Feeds initial-copy progress into the table registry and logs it at most every five seconds. */
final class CopyProgress {
    private static final Logger LOG = LoggerFactory.getLogger(CopyProgress.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int FLUSH_EVERY_ROWS = 1024;

    private final TableRegistry tables;
    private TableId pendingTable;
    private long pendingRows;
    private long lastLog = System.nanoTime();

    CopyProgress(TableRegistry tables) {
        this.tables = tables;
    }

    void event(SnapshotEvent event) {
        flush();
        if (event.phase() == SnapshotEvent.Phase.STARTED) {
            tables.copyStarted(event.table(), event.estimatedRows());
            if (event.estimatedRows() >= 0) {
                LOG.info("Copying {} (about {} rows)", event.table(), event.estimatedRows());
            } else {
                LOG.info("Copying {} (its size is not known yet)", event.table());
            }
        } else if (event.phase() == SnapshotEvent.Phase.CHUNK) {
            // a part of a copy resumed by this instance: it goes on from the rows the earlier parts copied
            tables.copyResumed(event.table(), event.rows(), event.estimatedRows());
        } else {
            LOG.info("Copied {}: {} rows", event.table(), event.rows());
        }
    }

    void row(TableId table) {
        if (!table.equals(pendingTable)) {
            flush();
            pendingTable = table;
        }
        if (++pendingRows >= FLUSH_EVERY_ROWS) {
            flush();
        }
    }

    private void flush() {
        if (pendingTable != null && pendingRows > 0) {
            tables.copied(pendingTable, pendingRows);
        }
        pendingRows = 0;
        long now = System.nanoTime();
        if (now - lastLog >= LOG_EVERY_NANOS) {
            lastLog = now;
            tables.snapshot().values().stream()
                    .filter(t -> t.estimatedRows() >= 0 && t.copiedRows() > 0)
                    .forEach(t -> LOG.info("Copy progress: {}", t));
        }
    }
}

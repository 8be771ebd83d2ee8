package io.zeroetl.redshift.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a batch stages in the session's {@link SharedStage} or table by table. A shared load that fails cannot
 * say whose row it refused, so the batch after it (the same batch, applied again) stages table by table, where a
 * failure falls on its table; the next shares again. After {@link #FAILURES_TO_STOP} shared loads failed in a row
 * (each batch then applied table by table), something about sharing itself is refused, and every batch is applied
 * table by table until the applier restarts, rather than fail once each.
 */
final class StagingChoice {
    private static final Logger LOG = LoggerFactory.getLogger(StagingChoice.class);
    static final int FAILURES_TO_STOP = 3;

    private boolean tableByTable;
    private int failures;

    /** Whether the next batch stages table by table. */
    boolean tableByTable() {
        return tableByTable;
    }

    /** A batch committed; {@code tableByTable}: it was staged so. */
    void committed(boolean tableByTable) {
        if (!tableByTable) {
            failures = 0;
        }
        this.tableByTable = failures >= FAILURES_TO_STOP;
    }

    /** A shared load failed with {@code message}: the batch is applied again table by table. */
    void sharedLoadFailed(String message) {
        tableByTable = true;
        if (++failures == FAILURES_TO_STOP) {
            LOG.warn(
                    "Loading the staged rows of several tables failed {} times in a row, the last time: {}; the batches"
                            + " are applied table by table from now on (a staging table per table and batch) until"
                            + " the pipeline restarts",
                    failures,
                    message);
        } else {
            LOG.warn(
                    "Loading the staged rows of several tables failed ({}); the batch is applied again with a staging"
                            + " table per table, to find the table it concerns",
                    message);
        }
    }

    /** A batch failed for good (a table, or the pipeline): a batch applied table by table has found what it sought. */
    void failedForGood() {
        tableByTable = failures >= FAILURES_TO_STOP;
    }
}

package io.zeroetl.change;

import io.zeroetl.Lsn;
import java.time.Instant;
import java.util.Objects;

/**
 * A source transaction starts.
 *
 * @param xid the source's transaction id
 * @param commitLsn where the transaction's commit lies in the source log (known up front)
 * @param commitTime when the source committed it
 */
public record BeginEvent(long xid, Lsn commitLsn, Instant commitTime) implements ChangeEvent {
    /**
     * Checks that nothing is null.
     *
     * @param xid the source's transaction id
     * @param commitLsn where the transaction's commit lies in the source log (known up front)
     * @param commitTime when the source committed it
     */
    public BeginEvent {
        Objects.requireNonNull(commitLsn, "commitLsn");
        Objects.requireNonNull(commitTime, "commitTime");
    }

    @Override
    public int estimatedBytes() {
        return 64;
    }
}

package io.zeroetl.change;

import io.zeroetl.Lsn;
import java.time.Instant;
import java.util.Objects;

/**
 * A source transaction ends. {@code endLsn} is the position to resume after once the transaction is in
 * the target.
 *
 * @param commitLsn where the commit record lies in the source log
 * @param endLsn the position just after the transaction
 * @param commitTime when the source committed it
 */
public record CommitEvent(Lsn commitLsn, Lsn endLsn, Instant commitTime) implements ChangeEvent {
    /**
     * Checks that nothing is null.
     *
     * @param commitLsn where the commit record lies in the source log
     * @param endLsn the position just after the transaction
     * @param commitTime when the source committed it
     */
    public CommitEvent {
        Objects.requireNonNull(commitLsn, "commitLsn");
        Objects.requireNonNull(endLsn, "endLsn");
        Objects.requireNonNull(commitTime, "commitTime");
    }

    @Override
    public int estimatedBytes() {
        return 64;
    }
}

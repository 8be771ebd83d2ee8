package io.zeroetl.change;

import io.zeroetl.Lsn;
import java.util.Objects;

/**
 * A logical message written to the source log (PostgreSQL: {@code pg_logical_emit_message}).
 *
 * @param lsn where it lies in the source log
 * @param transactional whether it belongs to the enclosing transaction
 * @param prefix the message's prefix, which says who it is for
 * @param content its bytes (not copied: do not change them)
 */
public record MessageEvent(Lsn lsn, boolean transactional, String prefix, byte[] content) implements ChangeEvent {
    /**
     * Checks that nothing is null.
     *
     * @param lsn where it lies in the source log
     * @param transactional whether it belongs to the enclosing transaction
     * @param prefix the message's prefix, which says who it is for
     * @param content its bytes (not copied: do not change them)
     */
    public MessageEvent {
        Objects.requireNonNull(lsn, "lsn");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(content, "content");
    }

    @Override
    public int estimatedBytes() {
        return 64 + prefix.length() * 2 + content.length;
    }
}

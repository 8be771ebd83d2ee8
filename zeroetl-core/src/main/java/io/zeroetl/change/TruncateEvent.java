package io.zeroetl.change;

import io.zeroetl.TableId;
import java.util.List;

/**
 * Tables were truncated.
 *
 * @param tables the truncated tables (copied)
 * @param cascade whether TRUNCATE ... CASCADE was used
 * @param restartIdentity whether TRUNCATE ... RESTART IDENTITY was used
 */
public record TruncateEvent(List<TableId> tables, boolean cascade, boolean restartIdentity) implements ChangeEvent {
    /**
     * Copies the table list.
     *
     * @param tables the truncated tables (copied)
     * @param cascade whether TRUNCATE ... CASCADE was used
     * @param restartIdentity whether TRUNCATE ... RESTART IDENTITY was used
     */
    public TruncateEvent {
        tables = List.copyOf(tables);
    }

    @Override
    public int estimatedBytes() {
        return 64 + 64 * tables.size();
    }
}

package io.zeroetl;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Thrown by a part (typically the applier) when some tables cannot go on — a value the target cannot
 * store under the table's policy, a schema change it cannot follow — while the others can. The engine
 * marks these tables FAILED with their reasons, and applies the batch again without them.
 */
public class TableFailedException extends ZeroEtlException {
    private static final long serialVersionUID = 1L;

    /** Each failed table with its reason. */
    private final Map<TableId, String> reasons;

    /**
     * {@code table} failed for {@code reason}.
     *
     * @param table the table (its target id)
     * @param reason why, naming the fix where there is one
     */
    public TableFailedException(TableId table, String reason) {
        this(Map.of(table, reason));
    }

    /**
     * Each table in {@code reasons} failed for its reason.
     *
     * @param reasons the failed tables with their reasons
     */
    public TableFailedException(Map<TableId, String> reasons) {
        super(ErrorCode.TABLE_FAILED, describe(reasons));
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a table failure needs at least one table");
        }
        TreeMap<TableId, String> redacted = new TreeMap<>();
        reasons.forEach((table, reason) -> redacted.put(table, Secret.redact(reason)));
        this.reasons = Collections.unmodifiableMap(redacted);
    }

    /** {@return the failed tables and why, ordered by name} */
    public Map<TableId, String> reasons() {
        return reasons;
    }

    private static String describe(Map<TableId, String> reasons) {
        return "Tables failed (the others continue): "
                + new TreeMap<>(reasons)
                        .entrySet().stream()
                                .map(e -> e.getKey() + ": " + e.getValue())
                                .collect(Collectors.joining("; "));
    }
}

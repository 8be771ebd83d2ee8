package io.zeroetl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row that differs between source and target, found by a validation.
 *
 * @param key the row's key columns and their values (canonical text, null for NULL), in column order
 * @param kind how it differs
 * @param columns for {@link Kind#DIFFERENT}, the columns whose values differ; empty otherwise
 */
public record RowDifference(Map<String, String> key, Kind kind, List<String> columns) {
    /** How a row differs. */
    public enum Kind {
        /** In the source, not in the target. */
        MISSING_IN_TARGET,
        /** In the target, not in the source. */
        EXTRA_IN_TARGET,
        /** In both, with different values in {@link #columns()}. */
        DIFFERENT
    }

    /**
     * Copies key and columns.
     *
     * @param key the row's key columns and their values (canonical text, null for NULL), in column order
     * @param kind how it differs
     * @param columns for {@link Kind#DIFFERENT}, the columns whose values differ; empty otherwise
     */
    public RowDifference {
        key = Collections.unmodifiableMap(new LinkedHashMap<>(key));
        Objects.requireNonNull(kind, "kind");
        columns = List.copyOf(columns);
    }

    @Override
    public String toString() {
        return kind + " " + key + (columns.isEmpty() ? "" : " " + columns);
    }
}

package io.zeroetl.spi;

import io.zeroetl.change.RowChange;
import io.zeroetl.change.TableSchema;
import java.util.List;

/**
 * A host's own shaping of changes, applied in source order after the built-in rules
 * ({@link io.zeroetl.TableRules}): one row change in, zero or more out.
 *
 * <pre>{@code
 * Transform upperNames = new Transform() {
 *     public List<RowChange> apply(RowChange change, TableSchema schema) {
 *         return List.of(change); // or changed copies, or none
 *     }
 * };
 * }</pre>
 *
 * <p>Called from the applier thread; must not block for long.
 */
public interface Transform {
    /**
     * The table as the target sees it when it looks like {@code schema} before this transform (called
     * whenever the source reports the table's schema). Default: unchanged.
     *
     * @param schema the table before this transform
     * @return the table after it
     */
    default TableSchema schema(TableSchema schema) {
        return schema;
    }

    /**
     * The changes to apply in place of {@code change}, laid out as {@link #schema(TableSchema)} says;
     * empty to drop it. A {@link io.zeroetl.TableFailedException} fails the table only.
     *
     * @param change a change laid out as {@code schema}
     * @param schema the table before this transform
     * @return the changes in its place, possibly none
     */
    List<RowChange> apply(RowChange change, TableSchema schema);
}

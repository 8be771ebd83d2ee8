/**
 * The change model: the typed events a {@link io.zeroetl.spi.WalStream} makes of the source's log
 * and a {@link io.zeroetl.spi.ChangeApplier} applies — transaction boundaries, table schemas, row
 * changes, truncates, schema changes and logical messages. All types here are immutable and thread-safe, and
 * nothing is null unless a component says so.
 *
 * <pre>{@code
 * if (event instanceof UpdateEvent update && update.newRow().hasUnchanged()) {
 *     // fill the unchanged large values from the target's current row
 * }
 * }</pre>
 */
package io.zeroetl.change;

/**
 * The change model: the typed events a {@link io.zeroetl.spi.ChangeDecoder} makes of the source's log
 * and a {@link io.zeroetl.spi.ChangeApplier} applies — transaction boundaries, table schemas, row
 * changes, truncates, schema changes and logical messages. All types here are immutable.
 */
package io.zeroetl.change;

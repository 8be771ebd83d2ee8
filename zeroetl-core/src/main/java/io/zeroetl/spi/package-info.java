/**
 * The parts of a pipeline a host can replace, one at a time: {@link io.zeroetl.spi.WalReader} (opens the
 * change stream), {@link io.zeroetl.spi.ChangeDecoder} (raw messages to typed events),
 * {@link io.zeroetl.spi.TypeMapper} (source types to target types and values) and
 * {@link io.zeroetl.spi.ChangeApplier} (batches into the target, atomically with the position).
 *
 * <p>Signatures use zeroetl types only; no driver type crosses this boundary.
 */
package io.zeroetl.spi;

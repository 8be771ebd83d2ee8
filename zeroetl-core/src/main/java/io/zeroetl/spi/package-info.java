/**
 * The parts of a pipeline a host can replace, one at a time: {@link io.zeroetl.spi.WalReader} (opens the
 * change stream of typed events, decoding its source's own format itself),
 * {@link io.zeroetl.spi.TypeMapper} (source types to target types and values) and
 * {@link io.zeroetl.spi.ChangeApplier} (batches into the target, atomically with the position).
 *
 * <p>Signatures use zeroetl types only; no driver type crosses this boundary. Each interface says from
 * which threads the engine calls it; records here are immutable. Nothing is null unless documented.
 *
 * <pre>{@code
 * Source source = PostgresSource.builder().jdbcUrl(url).user(u).password(pw)
 *         .reader(new MyReader())                // replace one part, keep the others
 *         .build();
 * }</pre>
 */
package io.zeroetl.spi;

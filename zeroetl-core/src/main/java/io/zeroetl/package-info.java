/**
 * zeroetl's public API: {@link io.zeroetl.ZeroEtl#from(io.zeroetl.Source)} starts a staged builder that
 * ends in a running {@link io.zeroetl.Pipeline}.
 *
 * <pre>{@code
 * try (Pipeline pipeline = ZeroEtl.from(source).to(target).tables("public.orders").start()) {
 *     pipeline.awaitCaughtUp(Duration.ofSeconds(30));
 *     System.out.println(pipeline.status());
 * }
 * }</pre>
 *
 * <p>Conventions for every type in this package and its sub-packages: parameters and return values
 * are never null unless a method says otherwise (optional values are {@link java.util.Optional});
 * value types are immutable and thread-safe; errors are {@link io.zeroetl.ZeroEtlException}s with an
 * {@link io.zeroetl.ErrorCode}.
 */
package io.zeroetl;

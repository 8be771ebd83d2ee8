/**
 * Internals of the zeroetl test fixtures. No compatibility guarantees: anything here may change in any
 * release. Use {@link io.zeroetl.testing.EmbeddedPostgres} and the other types of
 * {@code io.zeroetl.testing} instead.
 */
package io.zeroetl.testing.internal;

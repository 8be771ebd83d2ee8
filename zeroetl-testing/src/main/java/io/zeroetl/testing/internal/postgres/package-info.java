/**
 * How {@link io.zeroetl.testing.EmbeddedPostgres} obtains and runs PostgreSQL servers. No compatibility
 * guarantees.
 */
package io.zeroetl.testing.internal.postgres;

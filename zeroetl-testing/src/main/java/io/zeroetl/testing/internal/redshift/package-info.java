/**
 * The Redshift emulator's internals: a PostgreSQL wire-protocol proxy and the SQL translator that
 * enforces Redshift's dialect. No compatibility guarantees.
 */
package io.zeroetl.testing.internal.redshift;

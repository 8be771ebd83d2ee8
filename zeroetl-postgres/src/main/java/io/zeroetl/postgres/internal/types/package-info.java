/** Decoding PostgreSQL's text output of each type into Java values. No compatibility guarantees. */
package io.zeroetl.postgres.internal.types;

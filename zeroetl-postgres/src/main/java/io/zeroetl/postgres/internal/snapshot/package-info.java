/** The consistent initial copy of the source's tables. No compatibility guarantees. */
package io.zeroetl.postgres.internal.snapshot;

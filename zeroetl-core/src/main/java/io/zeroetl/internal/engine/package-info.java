/**
 * The replication engine: reader and applier threads joined by a byte-bounded queue, batching of whole
 * transactions, retries, acknowledgement and status. No compatibility guarantees.
 */
package io.zeroetl.internal.engine;

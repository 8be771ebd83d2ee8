/** Decoding PostgreSQL's pgoutput logical replication messages. No compatibility guarantees. */
package io.zeroetl.postgres.internal.pgoutput;

/** Reading PostgreSQL's logical replication stream with pgjdbc. No compatibility guarantees. */
package io.zeroetl.postgres.internal.replication;

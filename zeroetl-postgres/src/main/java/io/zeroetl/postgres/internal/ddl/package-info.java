/** Capturing DDL at the source as transactional logical messages. No compatibility guarantees. */
package io.zeroetl.postgres.internal.ddl;

/** The PostgreSQL source's internals. No compatibility guarantees. */
package io.zeroetl.postgres.internal;

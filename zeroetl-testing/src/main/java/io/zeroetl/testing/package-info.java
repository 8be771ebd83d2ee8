/**
 * Test fixtures for zeroetl and for the applications that embed it: {@link
 * io.zeroetl.testing.EmbeddedPostgres}, a real PostgreSQL server set up for logical replication, with
 * its JUnit 5 extension {@link io.zeroetl.testing.EmbeddedPostgresExtension}.
 */
package io.zeroetl.testing;

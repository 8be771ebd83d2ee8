/**
 * The PostgreSQL source: {@link io.zeroetl.postgres.PostgresSource} reads a database's changes through
 * logical replication ({@code pgoutput}).
 */
package io.zeroetl.postgres;

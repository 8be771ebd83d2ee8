/**
 * The PostgreSQL source's internals. No compatibility guarantees. Its parts, by package:
 *
 * <pre>
 *  replication  PgWalReader opens a PgWalStream on the slot (SourceSetup: slot, publication, checks;
 *               Publications; CatalogLookups), hands raw pgoutput messages and progress; PgLease is the
 *               advisory lock that makes one instance active
 *  snapshot     SnapshotStream: the initial copy (CopyTable, CopyRows) as typed events at the slot's
 *               consistent point, then the stream; copies asked for later go in the same way
 *  pgoutput     PgOutputDecoder: pgoutput bytes (Wire) to change events, streamed transactions kept
 *               until they commit (StreamedTransaction)
 *  ddl          DdlTrigger captures schema changes as logical messages, DdlMessages reads them (and
 *               refuses what a database user could forge)
 *  types        PgTypes: each type OID as a ColumnType with its ValueType, and how its text decodes
 *  validation   PgDigests: row digests of the source for validation
 * </pre>
 *
 * PgErrors adds PostgreSQL's own error codes to the SQL standard's classes.
 */
package io.zeroetl.postgres.internal;

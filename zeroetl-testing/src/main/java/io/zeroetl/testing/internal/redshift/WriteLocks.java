package io.zeroetl.testing.internal.redshift;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * Redshift's write locks on tables, which PostgreSQL's row locks do not give: concurrent writes to one table
 * wait for each other until the first transaction ends (c_serial_isolation, r_Serializable_isolation_example).
 * Under SERIALIZABLE every write (COPY, INSERT, UPDATE, DELETE) takes the table's write lock; under SNAPSHOT
 * isolation INSERT and COPY share it, and UPDATE, DELETE and MERGE take it alone, so a transaction that inserts
 * and one that then deletes from the same table wait for each other (c_write_readwrite: "Potential deadlock
 * situation for concurrent write transactions involving a single table").
 *
 * <p>Modeled by a statement trigger on every permanent table made in the database, which takes PostgreSQL's
 * SHARE ROW EXCLUSIVE lock (it conflicts with itself and with the ROW EXCLUSIVE lock every write holds, and not
 * with readers); an event trigger adds it to each table created. Not modeled: PostgreSQL takes a transaction's
 * snapshot when its first statement starts, before that statement waits for a write lock, where Redshift takes it
 * after (c_write_readwrite); a transaction whose first statement waits can therefore meet error 1023 here where
 * Redshift would go on (stricter, never laxer).
 */
final class WriteLocks {
    private WriteLocks() {}

    /** Installs the locks in the database {@code s} is connected to, as a superuser. */
    static void install(Statement s, boolean snapshot) throws SQLException {
        s.execute("CREATE FUNCTION zeroetl_emulator.write_lock() RETURNS trigger LANGUAGE plpgsql"
                // as the superuser: LOCK asks for privileges a user who may only insert does not have
                + " SECURITY DEFINER SET search_path = pg_catalog AS $$BEGIN"
                + " EXECUTE 'LOCK TABLE ' || TG_RELID::regclass::text || ' IN SHARE ROW EXCLUSIVE MODE';"
                + " RETURN NULL; END$$");
        // under SNAPSHOT isolation inserts share the table: the ROW EXCLUSIVE lock PostgreSQL takes is enough
        String events = snapshot ? "UPDATE OR DELETE" : "INSERT OR UPDATE OR DELETE";
        s.execute("CREATE FUNCTION zeroetl_emulator.add_write_lock() RETURNS event_trigger LANGUAGE plpgsql AS $$"
                + "DECLARE r record; BEGIN"
                + " FOR r IN SELECT c.oid FROM pg_event_trigger_ddl_commands() d JOIN pg_class c ON c.oid = d.objid"
                + " WHERE d.object_type = 'table' AND c.relkind = 'r' AND c.relpersistence = 'p'"
                + " AND d.schema_name <> 'zeroetl_emulator' LOOP"
                + " EXECUTE format('CREATE TRIGGER zeroetl_write_lock BEFORE " + events + " ON %s"
                + " FOR EACH STATEMENT EXECUTE FUNCTION zeroetl_emulator.write_lock()', r.oid::regclass);"
                + " END LOOP; END$$");
        s.execute("CREATE EVENT TRIGGER zeroetl_write_locks ON ddl_command_end"
                + " WHEN TAG IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO')"
                + " EXECUTE FUNCTION zeroetl_emulator.add_write_lock()");
    }
}

package io.zeroetl.postgres.internal.ddl;

import io.zeroetl.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, on the source, an event trigger on {@code ddl_command_end} (and one on {@code sql_drop} for
 * dropped tables, reported with tag {@code DROP TABLE} and no columns) that writes a transactional
 * logical message ({@code zeroetl_ddl}) for each changed table: the command tag, the statement, the
 * table's columns after the change (name, type OID, typmod, attnum, key) and the columns the change
 * renamed. It keeps the last column names per table in {@code zeroetl.ddl_columns} to tell a rename from
 * a drop and an add. The SQL is in {@link #SQL}, for a DBA to run when zeroetl's user may not. The
 * function runs as its owner (SECURITY DEFINER), so DDL by any user is captured, and a failure inside it
 * is a warning: it never breaks the user's DDL.
 */
public final class DdlTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(DdlTrigger.class);

    /** The installation script (idempotent). Event triggers need a superuser (PostgreSQL 16 and earlier). */
    public static final String SQL = """
            CREATE SCHEMA IF NOT EXISTS zeroetl;
            CREATE TABLE IF NOT EXISTS zeroetl.ddl_columns (relid oid, attnum int2, attname name,
                PRIMARY KEY (relid, attnum));
            CREATE TABLE IF NOT EXISTS zeroetl.ddl_tables (relid oid PRIMARY KEY, nspname name, relname name);
            CREATE OR REPLACE FUNCTION zeroetl.capture_ddl() RETURNS event_trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
            DECLARE r record; tbl name; sch name; ident "char"; cols json; renames json; old_sch name; old_tbl name;
            BEGIN
              FOR r IN SELECT DISTINCT objid, command_tag FROM pg_event_trigger_ddl_commands()
                       WHERE classid = 'pg_class'::regclass AND object_type IN ('table', 'table column') LOOP
                SELECT c.relname, n.nspname, c.relreplident INTO tbl, sch, ident FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = r.objid AND c.relkind IN ('r', 'p');
                CONTINUE WHEN tbl IS NULL;
                SELECT coalesce(json_agg(json_build_object('from', d.attname, 'to', a.attname)), '[]'::json)
                  INTO renames FROM zeroetl.ddl_columns d JOIN pg_attribute a ON a.attrelid = d.relid
                  AND a.attnum = d.attnum WHERE d.relid = r.objid AND NOT a.attisdropped AND a.attname <> d.attname;
                SELECT coalesce(json_agg(json_build_object('name', a.attname, 'type', a.atttypid::bigint, 'typmod',
                  a.atttypmod, 'attnum', a.attnum, 'key', EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid
                  AND i.indisprimary AND a.attnum = ANY (i.indkey))) ORDER BY a.attnum), '[]'::json) INTO cols
                  FROM pg_attribute a WHERE a.attrelid = r.objid AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.attgenerated = '';
                SELECT nspname, relname INTO old_sch, old_tbl FROM zeroetl.ddl_tables WHERE relid = r.objid;
                DELETE FROM zeroetl.ddl_tables WHERE relid = r.objid;
                INSERT INTO zeroetl.ddl_tables VALUES (r.objid, sch, tbl);
                DELETE FROM zeroetl.ddl_columns WHERE relid = r.objid;
                INSERT INTO zeroetl.ddl_columns SELECT r.objid, a.attnum, a.attname FROM pg_attribute a
                  WHERE a.attrelid = r.objid AND a.attnum > 0 AND NOT a.attisdropped;
                PERFORM pg_logical_emit_message(true, 'zeroetl_ddl', json_build_object('tag', r.command_tag,
                  'schema', sch, 'table', tbl, 'identity', ident, 'statement', current_query(),
                  'renames', renames, 'columns', cols, 'fromSchema', old_sch, 'fromTable', old_tbl)::text);
              END LOOP;
            EXCEPTION WHEN OTHERS THEN
              -- never break the user's DDL: without the message zeroetl falls back to the Relation messages
              RAISE WARNING 'zeroetl DDL capture failed: %', SQLERRM;
            END $f$;
            CREATE OR REPLACE FUNCTION zeroetl.capture_drop() RETURNS event_trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
            DECLARE r record;
            BEGIN
              FOR r IN SELECT objid, schema_name, object_name FROM pg_event_trigger_dropped_objects()
                       WHERE object_type = 'table' AND NOT is_temporary LOOP
                DELETE FROM zeroetl.ddl_tables WHERE relid = r.objid;
                DELETE FROM zeroetl.ddl_columns WHERE relid = r.objid;
                PERFORM pg_logical_emit_message(true, 'zeroetl_ddl', json_build_object('tag', 'DROP TABLE',
                  'schema', r.schema_name, 'table', r.object_name, 'identity', 'd', 'statement', current_query(),
                  'renames', '[]'::json, 'columns', '[]'::json)::text);
              END LOOP;
            EXCEPTION WHEN OTHERS THEN
              RAISE WARNING 'zeroetl DDL capture failed: %', SQLERRM;
            END $f$;
            DO $d$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'zeroetl_ddl') THEN
                CREATE EVENT TRIGGER zeroetl_ddl ON ddl_command_end EXECUTE FUNCTION zeroetl.capture_ddl();
              END IF;
              IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'zeroetl_drop') THEN
                CREATE EVENT TRIGGER zeroetl_drop ON sql_drop EXECUTE FUNCTION zeroetl.capture_drop();
              END IF;
            END $d$;
            """;

    private DdlTrigger() {
    }

    /**
     * Installs the trigger when the user may (a superuser), and records the current columns of
     * {@code tables} so their first rename is recognised. Returns whether DDL is captured.
     */
    public static boolean install(Connection c, Set<TableId> tables) throws SQLException {
        boolean superuser;
        try (Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            superuser = rs.next() && rs.getBoolean(1);
        }
        if (!superuser) {
            LOG.warn("DDL capture is off: creating the event trigger needs a superuser. Have a DBA run the SQL of"
                    + " DdlTrigger (see the README); until then a column rename looks like a drop and an add");
            return false;
        }
        try (Statement s = c.createStatement()) {
            s.execute(SQL);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO zeroetl.ddl_tables SELECT c.oid, n.nspname,"
                + " c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)"
                + " ON CONFLICT (relid) DO UPDATE SET nspname = excluded.nspname, relname = excluded.relname")) {
            for (TableId table : tables) {
                ps.setString(1, table.quoted());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO zeroetl.ddl_columns SELECT a.attrelid, a.attnum,"
                + " a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attnum > 0"
                + " AND NOT a.attisdropped ON CONFLICT (relid, attnum) DO UPDATE SET attname = excluded.attname")) {
            for (TableId table : tables) {
                ps.setString(1, table.quoted());
                ps.executeUpdate();
            }
        }
        return true;
    }
}

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
 * dropped tables, reported with tag {@code DROP TABLE} and no columns) that writes a transactional logical
 * message ({@code zeroetl_ddl}) for each changed table: the command tag, the statement, the table's columns
 * after the change (name, type OID, typmod, attnum, key), the columns the change renamed, and whether the
 * target cannot follow the change exactly (a column added with a default gave existing rows values the
 * change stream never carries). It keeps the last column names per table in {@code zeroetl.ddl_columns} to
 * tell a rename from a drop and an add.
 *
 * <p>Any database user can write a logical message, so every message is signed: HMAC-SHA256 with a key in
 * {@code zeroetl.ddl_key} that only the trigger's owner and the replication user can read; the decoder
 * ignores (and counts) any message whose signature does not verify. When capturing fails, the trigger
 * does not break the user's DDL: it writes a signed message saying so instead, and the pipeline copies the
 * table again rather than diverge silently. When a change leaves a table in one of zeroetl's publications
 * without a usable replica identity (its primary key dropped or made DEFERRABLE), the trigger takes the
 * table out of the publication in the same transaction — so the application's own UPDATEs and DELETEs
 * never fail because of zeroetl — and the pipeline fails the table with the fix.
 *
 * <p>The SQL is in {@link #SQL}, for a DBA to run when zeroetl's user may not (then {@code GRANT SELECT ON
 * zeroetl.ddl_key TO} the replication user). The functions run as their owner (SECURITY DEFINER), so DDL by
 * any user is captured.
 */
public final class DdlTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(DdlTrigger.class);

    /** The installation script (idempotent). Event triggers need a superuser (PostgreSQL 16 and earlier). */
    public static final String SQL = """
            CREATE SCHEMA IF NOT EXISTS zeroetl;
            CREATE TABLE IF NOT EXISTS zeroetl.ddl_columns (relid oid, attnum int2, attname name,
                PRIMARY KEY (relid, attnum));
            CREATE TABLE IF NOT EXISTS zeroetl.ddl_tables (relid oid PRIMARY KEY, nspname name, relname name);
            CREATE TABLE IF NOT EXISTS zeroetl.ddl_key (id int PRIMARY KEY CHECK (id = 1), inner_key bytea NOT NULL,
                outer_key bytea NOT NULL);
            REVOKE ALL ON zeroetl.ddl_key FROM PUBLIC;
            DO $k$ DECLARE k bytea; i bytea; o bytea; BEGIN
              IF NOT EXISTS (SELECT 1 FROM zeroetl.ddl_key) THEN
                IF current_setting('server_version_num')::int >= 130000 THEN
                  EXECUTE 'SELECT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, ''-'', ''''),'
                    || ' ''hex'')' INTO k;
                ELSE
                  k := decode(md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text)
                    || md5(random()::text || txid_current()::text), 'hex');
                END IF;
                -- HMAC-SHA256 (RFC 2104): the key zero-padded to the 64-byte block, xor 0x36 inside, 0x5c outside
                k := k || decode(repeat('00', 64 - length(k)), 'hex');
                i := k; o := k;
                FOR n IN 0..63 LOOP
                  i := set_byte(i, n, get_byte(k, n) # 54);
                  o := set_byte(o, n, get_byte(k, n) # 92);
                END LOOP;
                INSERT INTO zeroetl.ddl_key VALUES (1, i, o);
              END IF;
            END $k$;
            CREATE OR REPLACE FUNCTION zeroetl.capture_ddl() RETURNS event_trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
            DECLARE r record; tbl name; sch name; ident "char"; cols json; renames json; old_sch name; old_tbl name;
              known boolean; recopy text; usable boolean; pub record; msg text; ikey bytea; okey bytea;
              -- PostgreSQL 18 publishes stored generated columns (zeroetl's publication asks it to)
              gen boolean := current_setting('server_version_num')::int >= 180000;
            BEGIN
              SELECT inner_key, outer_key INTO ikey, okey FROM zeroetl.ddl_key;
              FOR r IN SELECT DISTINCT objid, command_tag FROM pg_event_trigger_ddl_commands()
                       WHERE classid = 'pg_class'::regclass AND object_type IN ('table', 'table column') LOOP
                SELECT c.relname, n.nspname, c.relreplident INTO tbl, sch, ident FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = r.objid AND c.relkind IN ('r', 'p');
                CONTINUE WHEN tbl IS NULL;
                SELECT coalesce(json_agg(json_build_object('from', d.attname, 'to', a.attname)), '[]'::json)
                  INTO renames FROM zeroetl.ddl_columns d JOIN pg_attribute a ON a.attrelid = d.relid
                  AND a.attnum = d.attnum WHERE d.relid = r.objid AND NOT a.attisdropped AND a.attname <> d.attname;
                -- the key: the replica identity index's columns, else the primary key's (as the decoder sees it)
                SELECT coalesce(json_agg(json_build_object('name', a.attname, 'type', a.atttypid::bigint, 'typmod',
                  a.atttypmod, 'attnum', a.attnum, 'key', ident <> 'n' AND EXISTS (SELECT 1 FROM pg_index i
                  WHERE i.indrelid = a.attrelid AND a.attnum = ANY (i.indkey)
                  AND CASE WHEN ident = 'i' THEN i.indisreplident ELSE i.indisprimary END)) ORDER BY a.attnum),
                  '[]'::json) INTO cols
                  FROM pg_attribute a WHERE a.attrelid = r.objid AND a.attnum > 0 AND NOT a.attisdropped
                  AND (a.attgenerated = '' OR gen);
                -- existing rows got values no row change carries: a column added with a default or identity
                known := EXISTS (SELECT 1 FROM zeroetl.ddl_columns d WHERE d.relid = r.objid);
                recopy := NULL;
                IF r.command_tag = 'ALTER TABLE' THEN
                  SELECT 'column ' || string_agg(quote_ident(a.attname::text), ', ') || ' added with a default (or'
                    || ' identity): existing rows got values the change stream never carries' INTO recopy
                    FROM pg_attribute a WHERE a.attrelid = r.objid AND a.attnum > 0 AND NOT a.attisdropped
                    AND (a.attgenerated = '' OR gen) AND (a.atthasdef OR a.attidentity <> '')
                    AND CASE WHEN known THEN NOT EXISTS (SELECT 1 FROM zeroetl.ddl_columns d WHERE d.relid = r.objid
                      AND d.attnum = a.attnum) ELSE a.atthasmissing END;
                END IF;
                SELECT nspname, relname INTO old_sch, old_tbl FROM zeroetl.ddl_tables WHERE relid = r.objid;
                DELETE FROM zeroetl.ddl_tables WHERE relid = r.objid;
                INSERT INTO zeroetl.ddl_tables VALUES (r.objid, sch, tbl);
                DELETE FROM zeroetl.ddl_columns WHERE relid = r.objid;
                INSERT INTO zeroetl.ddl_columns SELECT r.objid, a.attnum, a.attname FROM pg_attribute a
                  WHERE a.attrelid = r.objid AND a.attnum > 0 AND NOT a.attisdropped;
                -- a table without a usable replica identity must not stay in zeroetl's publications: the
                -- application's own UPDATEs and DELETEs of it would fail
                usable := ident = 'f' OR ident = 'i' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = r.objid
                  AND i.indisreplident) OR ident = 'd' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = r.objid
                  AND i.indisprimary AND i.indimmediate);
                IF NOT usable THEN
                  FOR pub IN SELECT p.pubname FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid
                             WHERE pr.prrelid = r.objid AND p.pubname LIKE 'zeroetl\\_%' LOOP
                    EXECUTE format('ALTER PUBLICATION %I DROP TABLE %I.%I', pub.pubname, sch, tbl);
                    recopy := 'it lost its replica identity (no primary key, or a DEFERRABLE one) and was taken out'
                      || ' of publication ' || pub.pubname || ' so that its own updates and deletes keep working';
                  END LOOP;
                END IF;
                msg := json_build_object('tag', r.command_tag, 'schema', sch, 'table', tbl, 'identity', ident,
                  'statement', current_query(), 'renames', renames, 'columns', cols, 'fromSchema', old_sch,
                  'fromTable', old_tbl, 'recopy', recopy)::text;
                PERFORM pg_logical_emit_message(true, 'zeroetl_ddl',
                  encode(sha256(okey || sha256(ikey || convert_to(msg, 'UTF8'))), 'hex') || ':' || msg);
              END LOOP;
            EXCEPTION WHEN OTHERS THEN
              -- never break the user's DDL, but never go quiet either: say which tables were not captured, so
              -- the pipeline copies them again
              BEGIN
                FOR r IN SELECT DISTINCT c.relname, n.nspname FROM pg_event_trigger_ddl_commands() d
                         JOIN pg_class c ON c.oid = d.objid JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE d.classid = 'pg_class'::regclass AND c.relkind IN ('r', 'p') LOOP
                  msg := json_build_object('tag', 'CAPTURE FAILED', 'schema', r.nspname, 'table', r.relname,
                    'error', SQLERRM, 'statement', current_query())::text;
                  PERFORM pg_logical_emit_message(true, 'zeroetl_ddl',
                    encode(sha256(okey || sha256(ikey || convert_to(msg, 'UTF8'))), 'hex') || ':' || msg);
                END LOOP;
              EXCEPTION WHEN OTHERS THEN
                RAISE WARNING 'zeroetl DDL capture failed: %', SQLERRM;
              END;
            END $f$;
            CREATE OR REPLACE FUNCTION zeroetl.capture_drop() RETURNS event_trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
            DECLARE r record; msg text; ikey bytea; okey bytea;
            BEGIN
              SELECT inner_key, outer_key INTO ikey, okey FROM zeroetl.ddl_key;
              FOR r IN SELECT objid, schema_name, object_name FROM pg_event_trigger_dropped_objects()
                       WHERE object_type = 'table' AND NOT is_temporary LOOP
                msg := json_build_object('tag', 'DROP TABLE', 'schema', r.schema_name, 'table', r.object_name,
                  'identity', 'd', 'statement', current_query(), 'renames', '[]'::json, 'columns', '[]'::json)::text;
                PERFORM pg_logical_emit_message(true, 'zeroetl_ddl',
                  encode(sha256(okey || sha256(ikey || convert_to(msg, 'UTF8'))), 'hex') || ':' || msg);
                -- the message is out; bookkeeping that fails must not take it back (a block of its own)
                BEGIN
                  DELETE FROM zeroetl.ddl_tables WHERE relid = r.objid;
                  DELETE FROM zeroetl.ddl_columns WHERE relid = r.objid;
                EXCEPTION WHEN OTHERS THEN
                  RAISE WARNING 'zeroetl DDL bookkeeping failed after a drop: %', SQLERRM;
                END;
              END LOOP;
            EXCEPTION WHEN OTHERS THEN
              RAISE WARNING 'zeroetl DDL capture failed: %', SQLERRM;
            END $f$;
            REVOKE ALL ON FUNCTION zeroetl.capture_ddl() FROM PUBLIC;
            REVOKE ALL ON FUNCTION zeroetl.capture_drop() FROM PUBLIC;
            DO $d$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'zeroetl_ddl') THEN
                CREATE EVENT TRIGGER zeroetl_ddl ON ddl_command_end EXECUTE FUNCTION zeroetl.capture_ddl();
              END IF;
              IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'zeroetl_drop') THEN
                CREATE EVENT TRIGGER zeroetl_drop ON sql_drop EXECUTE FUNCTION zeroetl.capture_drop();
              END IF;
            END $d$;
            -- fire in every session, session_replication_role = replica too (pg_restore, replication tools);
            -- and a trigger someone disabled is enabled again
            ALTER EVENT TRIGGER zeroetl_ddl ENABLE ALWAYS;
            ALTER EVENT TRIGGER zeroetl_drop ENABLE ALWAYS;
            """;

    private DdlTrigger() {}

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
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT evtname FROM pg_event_trigger WHERE evtname IN ('zeroetl_ddl',"
                        + " 'zeroetl_drop') AND evtenabled = 'D'")) {
            while (rs.next()) {
                LOG.warn(
                        "Event trigger {} was disabled, so DDL run meanwhile was not captured; it is enabled again."
                                + " Resync the tables whose columns changed while it was off",
                        rs.getString(1));
            }
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

-- zeroetl's DDL capture: event triggers that write a signed, transactional logical message ('zeroetl_ddl') for
-- every change to a table's definition and to what its stored values mean, at its place in the WAL.
-- Idempotent; run it as a superuser (or rds_superuser), then GRANT SELECT ON zeroetl.ddl_key TO the
-- replication user. What each message means for the target is decided by zeroetl (DdlEffects), not here:
-- the trigger reports what it sees (the statement, the columns before and after, table rewrites, the types,
-- schemas and publications a command touched).
CREATE SCHEMA IF NOT EXISTS zeroetl;
CREATE TABLE IF NOT EXISTS zeroetl.ddl_columns (relid oid, attnum int2, attname name, PRIMARY KEY (relid, attnum));
DO $c$ BEGIN
  -- the columns' types and generation, so a type change is told from a rename (added by version 0.2)
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'zeroetl.ddl_columns'::regclass
                 AND attname = 'atttypid') THEN
    ALTER TABLE zeroetl.ddl_columns ADD COLUMN atttypid oid, ADD COLUMN atttypmod int4,
      ADD COLUMN attgenerated "char", ADD COLUMN published boolean;
  END IF;
  UPDATE zeroetl.ddl_columns d SET atttypid = a.atttypid, atttypmod = a.atttypmod, attgenerated = a.attgenerated,
      published = a.attgenerated = '' OR a.attgenerated = 's' AND current_setting('server_version_num')::int >= 180000
    FROM pg_attribute a WHERE a.attrelid = d.relid AND a.attnum = d.attnum AND a.attname = d.attname
    AND d.atttypid IS NULL;
END $c$;
CREATE TABLE IF NOT EXISTS zeroetl.ddl_tables (relid oid PRIMARY KEY, nspname name, relname name);
CREATE TABLE IF NOT EXISTS zeroetl.ddl_key (id int PRIMARY KEY CHECK (id = 1), inner_key bytea NOT NULL,
    outer_key bytea NOT NULL);
REVOKE ALL ON zeroetl.ddl_key FROM PUBLIC;
DO $k$ DECLARE k bytea; i bytea; o bytea; BEGIN
  IF NOT EXISTS (SELECT 1 FROM zeroetl.ddl_key) THEN
    IF current_setting('server_version_num')::int >= 130000 THEN
      EXECUTE 'SELECT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, ''-'', ''''), ''hex'')'
        INTO k;
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

-- Signs and writes one message. The content is UTF-8 whatever the database's encoding (a LATIN1 database's
-- text would otherwise reach the stream in LATIN1 and no longer match its signature).
CREATE OR REPLACE FUNCTION zeroetl.emit_ddl(msg json) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE ikey bytea; okey bytea; body bytea;
BEGIN
  SELECT inner_key, outer_key INTO ikey, okey FROM zeroetl.ddl_key;
  body := convert_to(msg::text, 'UTF8');
  PERFORM pg_logical_emit_message(true, 'zeroetl_ddl',
    convert_to(encode(sha256(okey || sha256(ikey || body)), 'hex') || ':', 'UTF8') || body);
END $f$;

-- Describes one table as it is now (the columns before the command, as last recorded, and after it), records
-- its columns and name for the next command, and writes the message. extra: fields the caller adds.
CREATE OR REPLACE FUNCTION zeroetl.capture_table(rel oid, tag text, extra jsonb) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE tbl name; sch name; ident "char"; cols json; renames json; before json; old_sch name; old_tbl name;
  known boolean; recopy text; usable boolean; pub record; rewrite int; dependent record; changed boolean;
  -- PostgreSQL 18 publishes stored generated columns (zeroetl's publication asks it to); virtual ones never
  gen boolean := current_setting('server_version_num')::int >= 180000;
BEGIN
  SELECT c.relname, n.nspname, c.relreplident INTO tbl, sch, ident FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel AND c.relkind IN ('r', 'p')
    AND n.nspname <> 'zeroetl';
  IF tbl IS NULL THEN
    RETURN;
  END IF;
  known := EXISTS (SELECT 1 FROM zeroetl.ddl_columns d WHERE d.relid = rel);
  SELECT json_agg(json_build_object('attnum', d.attnum, 'name', d.attname, 'type', d.atttypid::bigint,
    'typmod', d.atttypmod, 'generated', d.attgenerated, 'published', d.published) ORDER BY d.attnum)
    INTO before FROM zeroetl.ddl_columns d WHERE d.relid = rel;
  SELECT coalesce(json_agg(json_build_object('from', d.attname, 'to', a.attname)), '[]'::json)
    INTO renames FROM zeroetl.ddl_columns d JOIN pg_attribute a ON a.attrelid = d.relid
    AND a.attnum = d.attnum WHERE d.relid = rel AND NOT a.attisdropped AND a.attname <> d.attname;
  -- the key: the replica identity index's columns, else the primary key's (as the decoder sees it)
  SELECT coalesce(json_agg(json_build_object('name', a.attname, 'type', a.atttypid::bigint, 'typmod',
    a.atttypmod, 'attnum', a.attnum, 'key', ident <> 'n' AND EXISTS (SELECT 1 FROM pg_index i
    WHERE i.indrelid = a.attrelid AND a.attnum = ANY (i.indkey)
    AND CASE WHEN ident = 'i' THEN i.indisreplident ELSE i.indisprimary END)) ORDER BY a.attnum),
    '[]'::json) INTO cols
    FROM pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
    AND (a.attgenerated = '' OR gen AND a.attgenerated = 's');
  recopy := extra ->> 'recopy';
  -- existing rows got values no row change carries: a column added with a default or identity
  IF tag = 'ALTER TABLE' AND recopy IS NULL THEN
    SELECT 'column ' || string_agg(quote_ident(a.attname::text), ', ') || ' added with a default (or'
      || ' identity): existing rows got values the change stream never carries' INTO recopy
      FROM pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
      AND (a.attgenerated = '' OR gen AND a.attgenerated = 's') AND (a.atthasdef OR a.attidentity <> '')
      AND CASE WHEN known THEN NOT EXISTS (SELECT 1 FROM zeroetl.ddl_columns d WHERE d.relid = rel
        AND d.attnum = a.attnum) ELSE a.atthasmissing END;
  END IF;
  -- a table rewrite this command caused (table_rewrite fired before it ended): its reason's bits; a
  -- partitioned table has no rows of its own, its partitions (at any depth) are what gets rewritten
  SELECT bit_or(split_part(e, ':', 2)::int) INTO rewrite
    FROM unnest(string_to_array(current_setting('zeroetl.rewrites', true), ',')) e
    WHERE split_part(e, ':', 1) = rel::text
      OR split_part(e, ':', 1) IN (SELECT t.relid::oid::text FROM pg_partition_tree(rel) t);
  changed := known AND EXISTS (
    SELECT a.attnum, a.attname, a.atttypid, a.atttypmod FROM pg_attribute a
      WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
    EXCEPT SELECT d.attnum, d.attname, d.atttypid, d.atttypmod FROM zeroetl.ddl_columns d WHERE d.relid = rel
  ) OR known AND EXISTS (SELECT 1 FROM zeroetl.ddl_columns d WHERE d.relid = rel AND NOT EXISTS (
    SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attnum = d.attnum AND NOT a.attisdropped));
  SELECT nspname, relname INTO old_sch, old_tbl FROM zeroetl.ddl_tables WHERE relid = rel;
  DELETE FROM zeroetl.ddl_tables WHERE relid = rel;
  INSERT INTO zeroetl.ddl_tables VALUES (rel, sch, tbl);
  DELETE FROM zeroetl.ddl_columns WHERE relid = rel;
  INSERT INTO zeroetl.ddl_columns SELECT rel, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attgenerated,
      a.attgenerated = '' OR gen AND a.attgenerated = 's'
    FROM pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped;
  -- a table without a usable replica identity must not stay in zeroetl's publications: the application's own
  -- UPDATEs and DELETEs of it would fail
  usable := ident = 'f' OR ident = 'i' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = rel
    AND i.indisreplident) OR ident = 'd' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = rel
    AND i.indisprimary AND i.indimmediate);
  IF NOT usable THEN
    FOR pub IN SELECT p.pubname FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid
               WHERE pr.prrelid = rel AND p.pubname LIKE 'zeroetl\_%' LOOP
      EXECUTE format('ALTER PUBLICATION %I DROP TABLE %I.%I', pub.pubname, sch, tbl);
      recopy := 'it lost its replica identity (no primary key, or a DEFERRABLE one) and was taken out'
        || ' of publication ' || pub.pubname || ' so that its own updates and deletes keep working';
    END LOOP;
  END IF;
  PERFORM zeroetl.emit_ddl((jsonb_build_object('tag', tag, 'schema', sch, 'table', tbl, 'identity', ident,
    'statement', current_query(), 'renames', renames, 'columns', cols, 'before', before, 'fromSchema', old_sch,
    'fromTable', old_tbl, 'recopy', recopy, 'rewrite', rewrite) || (coalesce(extra, '{}'::jsonb) - 'recopy'))::json);
  -- another table's column may hold this table's rows (its row type): their text changed with the columns
  IF tag = 'ALTER TABLE' AND changed THEN
    FOR dependent IN SELECT DISTINCT a.attrelid FROM pg_attribute a WHERE a.attrelid <> rel AND NOT a.attisdropped
                     AND a.atttypid IN (SELECT zeroetl.dependent_types((SELECT reltype FROM pg_class WHERE oid = rel)))
    LOOP
      PERFORM zeroetl.capture_table(dependent.attrelid, 'ALTER TYPE', jsonb_build_object('recopy', 'it holds rows'
        || ' of ' || quote_ident(sch) || '.' || quote_ident(tbl) || ', whose columns changed'));
    END LOOP;
  END IF;
END $f$;

-- The type and every type whose values hold its values: its array, domains over it, composite types and
-- tables with a column of it, ranges over it (and multiranges), transitively.
CREATE OR REPLACE FUNCTION zeroetl.dependent_types(root oid) RETURNS SETOF oid LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
  RETURN QUERY EXECUTE
    'WITH RECURSIVE edges(src, dst) AS ('
    || ' SELECT t.oid, t.typarray FROM pg_type t WHERE t.typarray <> 0'
    || ' UNION ALL SELECT t.typbasetype, t.oid FROM pg_type t WHERE t.typtype = ''d'''
    || ' UNION ALL SELECT a.atttypid, c.reltype FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid'
    || '   WHERE a.attnum > 0 AND NOT a.attisdropped AND c.reltype <> 0'
    || ' UNION ALL SELECT r.rngsubtype, r.rngtypid FROM pg_range r'
    || CASE WHEN current_setting('server_version_num')::int >= 140000
            THEN ' UNION ALL SELECT r.rngtypid, r.rngmultitypid FROM pg_range r' ELSE '' END
    || '), deps(t) AS (SELECT $1 UNION SELECT e.dst FROM edges e JOIN deps d ON e.src = d.t)'
    || ' SELECT t FROM deps' USING root;
END $f$;

-- Every table with a column whose values hold values of type typ gets a message (tag ALTER TYPE, or
-- ALTER EXTENSION), so a change to what the type's values read as (an enum label renamed, an attribute added
-- to a composite type) is not silent; zeroetl decides from the statement what it means.
CREATE OR REPLACE FUNCTION zeroetl.capture_type_users(typ oid, tag text, extra jsonb) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE t record;
BEGIN
  FOR t IN SELECT DISTINCT a.attrelid FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
           WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
           AND a.atttypid IN (SELECT zeroetl.dependent_types(typ)) LOOP
    PERFORM zeroetl.capture_table(t.attrelid, tag,
      coalesce(extra, '{}'::jsonb) || jsonb_build_object('type', format_type(typ, NULL)));
  END LOOP;
END $f$;

CREATE OR REPLACE FUNCTION zeroetl.capture_ddl() RETURNS event_trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE r record; kind "char"; t record; pub name; typ oid;
BEGIN
  FOR r IN SELECT DISTINCT classid, objid, command_tag, object_type FROM pg_event_trigger_ddl_commands()
           WHERE classid IN ('pg_class'::regclass, 'pg_type'::regclass, 'pg_namespace'::regclass,
           'pg_publication'::regclass, 'pg_publication_rel'::regclass, 'pg_extension'::regclass) LOOP
    IF r.classid = 'pg_class'::regclass THEN
      SELECT relkind, reltype INTO kind, typ FROM pg_class WHERE oid = r.objid;
      -- a partition whose rows the WAL does not carry (UNLOGGED, foreign): its partitioned table cannot be
      -- replicated whole any more; the message asks for its copy, which says why it is refused
      IF EXISTS (SELECT 1 FROM pg_class WHERE oid = r.objid AND relispartition
                 AND (relkind = 'f' OR relpersistence = 'u')) THEN
        PERFORM zeroetl.capture_table(pg_partition_root(r.objid), 'ALTER TABLE', jsonb_build_object('recopy',
          'its partition ' || r.objid::regclass::text || ' holds rows the WAL does not carry (UNLOGGED or foreign)'));
      END IF;
      IF kind IN ('r', 'p') THEN
        PERFORM zeroetl.capture_table(r.objid, r.command_tag, NULL);
      ELSIF kind = 'c' AND r.command_tag = 'ALTER TYPE' THEN
        PERFORM zeroetl.capture_type_users(typ, r.command_tag, NULL);
      END IF;
    ELSIF r.classid = 'pg_type'::regclass AND r.command_tag = 'ALTER TYPE' THEN
      PERFORM zeroetl.capture_type_users(r.objid, r.command_tag, NULL);
    ELSIF r.classid = 'pg_namespace'::regclass AND r.command_tag = 'ALTER SCHEMA' THEN
      -- a renamed schema renames every table in it
      FOR t IN SELECT c.oid FROM pg_class c WHERE c.relnamespace = r.objid AND c.relkind IN ('r', 'p') LOOP
        PERFORM zeroetl.capture_table(t.oid, r.command_tag, NULL);
      END LOOP;
    ELSIF r.classid = 'pg_publication_rel'::regclass THEN
      -- a table joined a publication; with a row filter or a column list it would stream only part of itself
      FOR t IN SELECT pr.prrelid, p.pubname, to_jsonb(pr) ? 'prqual' AND (to_jsonb(pr) ->> 'prqual') IS NOT NULL
                 OR to_jsonb(pr) ? 'prattrs' AND (to_jsonb(pr) ->> 'prattrs') IS NOT NULL AS partial
               FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid WHERE pr.oid = r.objid LOOP
        IF t.partial THEN
          PERFORM zeroetl.capture_table(t.prrelid, r.command_tag, jsonb_build_object('publication', t.pubname,
            'recopy', 'publication ' || t.pubname || ' was given a row filter or column list for it'));
        END IF;
      END LOOP;
    ELSIF r.classid = 'pg_publication'::regclass THEN
      -- a publication that stops publishing a kind of change (publish = 'insert') stops telling us of it
      SELECT p.pubname INTO pub FROM pg_publication p WHERE p.oid = r.objid
        AND NOT (p.pubinsert AND p.pubupdate AND p.pubdelete AND p.pubtruncate);
      IF pub IS NOT NULL THEN
        FOR t IN SELECT to_regclass(quote_ident(pt.schemaname) || '.' || quote_ident(pt.tablename)) AS rel
                 FROM pg_publication_tables pt WHERE pt.pubname = pub LOOP
          PERFORM zeroetl.capture_table(t.rel, r.command_tag, jsonb_build_object('publication', pub,
            'recopy', 'publication ' || pub || ' no longer publishes every kind of change'));
        END LOOP;
      END IF;
    ELSIF r.classid = 'pg_extension'::regclass AND r.command_tag = 'ALTER EXTENSION' THEN
      -- an extension update may change how its types' values read
      FOR t IN SELECT d.objid FROM pg_depend d WHERE d.refclassid = 'pg_extension'::regclass
               AND d.refobjid = r.objid AND d.classid = 'pg_type'::regclass AND d.deptype = 'e' LOOP
        PERFORM zeroetl.capture_type_users(t.objid, r.command_tag, NULL);
      END LOOP;
    END IF;
  END LOOP;
  PERFORM set_config('zeroetl.rewrites', '', true);
EXCEPTION WHEN OTHERS THEN
  -- never break the user's DDL, but never go quiet either: say which tables were not captured, so the pipeline
  -- copies them again
  BEGIN
    FOR r IN SELECT DISTINCT c.relname, n.nspname FROM pg_event_trigger_ddl_commands() d
             JOIN pg_class c ON c.oid = d.objid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE d.classid = 'pg_class'::regclass AND c.relkind IN ('r', 'p') LOOP
      PERFORM zeroetl.emit_ddl(json_build_object('tag', 'CAPTURE FAILED', 'schema', r.nspname, 'table', r.relname,
        'error', SQLERRM, 'statement', current_query()));
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'zeroetl DDL capture failed: %', SQLERRM;
  END;
END $f$;

-- Fires before ALTER TABLE or ALTER TYPE rewrites a table: remembered (for this transaction) until the command
-- ends, so its message says the stored values were rewritten (reason bits: 1 persistence, 2 a default, 4 a
-- column's type or expression, 8 the access method).
CREATE OR REPLACE FUNCTION zeroetl.capture_rewrite() RETURNS event_trigger LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM set_config('zeroetl.rewrites', coalesce(current_setting('zeroetl.rewrites', true), '')
    || pg_event_trigger_table_rewrite_oid()::text || ':' || pg_event_trigger_table_rewrite_reason()::text || ',',
    true);
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'zeroetl DDL capture failed: %', SQLERRM;
END $f$;

CREATE OR REPLACE FUNCTION zeroetl.capture_drop() RETURNS event_trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE r record; t record;
BEGIN
  FOR r IN SELECT objid, object_type, schema_name, object_name, address_names, address_args, is_temporary
           FROM pg_event_trigger_dropped_objects() LOOP
    IF r.object_type = 'table' AND NOT r.is_temporary THEN
      PERFORM zeroetl.emit_ddl(json_build_object('tag', 'DROP TABLE', 'schema', r.schema_name, 'table',
        r.object_name, 'identity', 'd', 'statement', current_query(), 'renames', '[]'::json, 'columns', '[]'::json));
      -- the message is out; bookkeeping that fails must not take it back (a block of its own)
      BEGIN
        DELETE FROM zeroetl.ddl_tables WHERE relid = r.objid;
        DELETE FROM zeroetl.ddl_columns WHERE relid = r.objid;
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'zeroetl DDL bookkeeping failed after a drop: %', SQLERRM;
      END;
    ELSIF r.object_type = 'publication relation' THEN
      -- a table taken out of a publication: what happens to it until it is back is never streamed
      PERFORM zeroetl.capture_table(to_regclass(quote_ident(r.address_names[1]) || '.'
        || quote_ident(r.address_names[2])), 'ALTER PUBLICATION', jsonb_build_object('publication',
        r.address_args[1], 'recopy', 'taken out of publication ' || r.address_args[1] || ' ('
        || left(current_query(), 200) || ')'));
    ELSIF r.object_type = 'publication namespace' THEN
      FOR t IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = r.address_names[1] AND c.relkind IN ('r', 'p') LOOP
        PERFORM zeroetl.capture_table(t.oid, 'ALTER PUBLICATION', jsonb_build_object('publication',
          r.address_args[1], 'recopy', 'taken out of publication ' || r.address_args[1] || ' ('
          || left(current_query(), 200) || ')'));
      END LOOP;
    END IF;
  END LOOP;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'zeroetl DDL capture failed: %', SQLERRM;
END $f$;

REVOKE ALL ON FUNCTION zeroetl.emit_ddl(json) FROM PUBLIC;
REVOKE ALL ON FUNCTION zeroetl.capture_table(oid, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION zeroetl.dependent_types(oid) FROM PUBLIC;
REVOKE ALL ON FUNCTION zeroetl.capture_type_users(oid, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION zeroetl.capture_ddl() FROM PUBLIC;
REVOKE ALL ON FUNCTION zeroetl.capture_rewrite() FROM PUBLIC;
REVOKE ALL ON FUNCTION zeroetl.capture_drop() FROM PUBLIC;
DO $d$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'zeroetl_ddl') THEN
    CREATE EVENT TRIGGER zeroetl_ddl ON ddl_command_end EXECUTE FUNCTION zeroetl.capture_ddl();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'zeroetl_drop') THEN
    CREATE EVENT TRIGGER zeroetl_drop ON sql_drop EXECUTE FUNCTION zeroetl.capture_drop();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'zeroetl_rewrite') THEN
    CREATE EVENT TRIGGER zeroetl_rewrite ON table_rewrite EXECUTE FUNCTION zeroetl.capture_rewrite();
  END IF;
END $d$;
-- fire in every session, session_replication_role = replica too (pg_restore, replication tools); and a trigger
-- someone disabled is enabled again
ALTER EVENT TRIGGER zeroetl_ddl ENABLE ALWAYS;
ALTER EVENT TRIGGER zeroetl_drop ENABLE ALWAYS;
ALTER EVENT TRIGGER zeroetl_rewrite ENABLE ALWAYS;

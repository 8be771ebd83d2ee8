package io.zeroetl.testing.internal.redshift;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Prepares the PostgreSQL database that plays the Redshift cluster's database. */
public final class BackingDatabase {
    private BackingDatabase() {
    }

    /** Creates the emulator's helper schema and functions, and Redshift's session defaults. */
    public static void prepare(Connection c, String database, String postgresVersion) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA zeroetl_emulator");
            s.execute("CREATE FUNCTION zeroetl_emulator.reject(state text, message text) RETURNS int LANGUAGE plpgsql"
                    + " AS $$BEGIN RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message; END$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.too_long(kind text, n int) RETURNS boolean LANGUAGE plpgsql"
                    + " AS $$BEGIN RAISE EXCEPTION USING ERRCODE = '22001',"
                    + " MESSAGE = 'value too long for type ' || kind || '(' || n || ')'; END$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.not_ascii(v text, n int) RETURNS boolean LANGUAGE plpgsql"
                    + " AS $$BEGIN RAISE EXCEPTION USING ERRCODE = 'XX000',"
                    + " MESSAGE = 'Multibyte character not supported for CHAR (Hint: try using VARCHAR)';"
                    + " END$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.getdate() RETURNS timestamp LANGUAGE sql STABLE"
                    + " AS $$SELECT date_trunc('second', statement_timestamp())::timestamp$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.sysdate() RETURNS timestamp LANGUAGE sql STABLE"
                    + " AS $$SELECT localtimestamp$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.version() RETURNS text LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT 'PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017"
                    + " (Red Hat 3.4.2-6.fc3), Redshift 1.0.77467 (zeroetl RedshiftEmulator over PostgreSQL "
                    + postgresVersion.replace("'", "") + ")'::text$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.json_parse(text) RETURNS jsonb LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT $1::jsonb$$");
            // Redshift serializes SUPER compactly ({"a":[1,2]}); jsonb's text form has spaces after : and ,
            s.execute("CREATE FUNCTION zeroetl_emulator.json_serialize(j jsonb) RETURNS varchar LANGUAGE plpgsql"
                    + " IMMUTABLE AS $$BEGIN RETURN CASE jsonb_typeof(j)"
                    + " WHEN 'object' THEN '{' || coalesce((SELECT string_agg(to_jsonb(k)::text || ':'"
                    + " || zeroetl_emulator.json_serialize(v), ',') FROM jsonb_each(j) AS e(k, v)), '') || '}'"
                    + " WHEN 'array' THEN '[' || coalesce((SELECT string_agg(zeroetl_emulator.json_serialize(v), ','"
                    + " ORDER BY n) FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, n)), '') || ']'"
                    + " ELSE j::text END; END$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.json_size(jsonb) RETURNS int LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT octet_length(zeroetl_emulator.json_serialize($1))$$");
            // Redshift functions PostgreSQL lacks or spells differently (the driver's metadata queries use them)
            s.execute("CREATE FUNCTION zeroetl_emulator.isnull(anyelement, anyelement) RETURNS anyelement"
                    + " LANGUAGE sql IMMUTABLE AS $$SELECT coalesce($1, $2)$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.nvl(anyelement, anyelement) RETURNS anyelement"
                    + " LANGUAGE sql IMMUTABLE AS $$SELECT coalesce($1, $2)$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.charindex(text, text) RETURNS int LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT strpos($2, $1)$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.regexp_substr(text, text, int DEFAULT 1) RETURNS text"
                    + " LANGUAGE sql IMMUTABLE AS $$SELECT coalesce((regexp_match(substr($1, $3), $2))[1], '')$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.regexp_replace(text, text, text DEFAULT '') RETURNS text"
                    + " LANGUAGE sql IMMUTABLE AS $$SELECT pg_catalog.regexp_replace($1, $2, $3, 'g')$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.from_hex(text) RETURNS bytea LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT decode($1, 'hex')$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.to_hex(bytea) RETURNS text LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT encode($1, 'hex')$$");
            // STRTOL(num_string, base): leading blanks, one sign, 0x for base 16, digits up to the first
            // invalid one; the result must fit a signed 64-bit integer (r_STRTOL)
            s.execute("CREATE FUNCTION zeroetl_emulator.strtol(s text, base int) RETURNS bigint LANGUAGE plpgsql"
                    + " IMMUTABLE AS $$DECLARE t text := ltrim(s); neg boolean := false; r numeric := 0; d int;"
                    + " BEGIN IF s IS NULL THEN RETURN NULL; END IF;"
                    + " IF base < 2 OR base > 36 THEN RAISE EXCEPTION 'STRTOL: base % is not between 2 and 36', base;"
                    + " END IF;"
                    + " IF left(t, 1) IN ('+', '-') THEN neg := left(t, 1) = '-'; t := substr(t, 2); END IF;"
                    + " IF base = 16 AND lower(left(t, 2)) = '0x' THEN t := substr(t, 3); END IF;"
                    + " IF base = 16 AND t ~ '^[0-9a-fA-F]{1,15}$' THEN"
                    + " r := ('x' || lpad(t, 16, '0'))::bit(64)::bigint;"
                    + " ELSE FOR i IN 1..length(t) LOOP d := CASE WHEN substr(t, i, 1) BETWEEN '0' AND '9'"
                    + " THEN ascii(substr(t, i, 1)) - 48 WHEN lower(substr(t, i, 1)) BETWEEN 'a' AND 'z'"
                    + " THEN ascii(lower(substr(t, i, 1))) - 87 ELSE 99 END; EXIT WHEN d >= base;"
                    + " r := r * base + d; END LOOP; END IF;"
                    + " RETURN CASE WHEN neg THEN -r ELSE r END::bigint; END$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.current_database() RETURNS name LANGUAGE sql STABLE"
                    + " AS $$SELECT 'dev'::name$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.pg_get_late_binding_view_cols() RETURNS SETOF record"
                    + " LANGUAGE plpgsql AS $$BEGIN RETURN; END$$");
            // Redshift's system views that the driver's metadata calls read; no external (Spectrum) schemas here
            s.execute("CREATE VIEW zeroetl_emulator.svv_external_schemas AS SELECT 0::oid AS esoid, 0::smallint AS"
                    + " eskind, ''::name AS schemaname, 0 AS esowner, ''::text AS databasename, ''::text AS esoptions"
                    + " WHERE false");
            s.execute("CREATE VIEW zeroetl_emulator.svv_external_tables AS SELECT ''::text AS schemaname,"
                    + " ''::text AS tablename, ''::text AS location, ''::text AS input_format, ''::text AS output_format,"
                    + " ''::text AS serialization_lib, ''::text AS serde_parameters, 0 AS compressed, ''::text AS"
                    + " parameters, ''::text AS tabletype WHERE false");
            s.execute("CREATE VIEW zeroetl_emulator.svv_external_columns AS SELECT ''::text AS schemaname,"
                    + " ''::text AS tablename, ''::text AS columnname, ''::text AS external_type, 0 AS columnnum,"
                    + " 0 AS part_key, 0 AS is_nullable WHERE false");
            String db = "\"" + database.replace("\"", "\"\"") + "\"";
            s.execute("ALTER DATABASE " + db + " SET timezone = 'UTC'");
            // Redshift reads a backslash in a string literal as an escape ('a\\b' is a\b)
            s.execute("ALTER DATABASE " + db + " SET standard_conforming_strings = off");
            s.execute("ALTER DATABASE " + db + " SET escape_string_warning = off");
            s.execute("ALTER DATABASE " + db + " SET default_transaction_isolation = 'serializable'");
            // Redshift joins large tables by hash (no indexes, no nested loops over a table scan); PostgreSQL,
            // without statistics on a fresh staging table, would pick nested loops that scan the target once
            // per staged row
            s.execute("ALTER DATABASE " + db + " SET enable_nestloop = off");
            s.execute("ALTER DATABASE " + db + " SET zeroetl_emulator.enable_case_sensitive_identifier = 'false'");
        }
    }
}

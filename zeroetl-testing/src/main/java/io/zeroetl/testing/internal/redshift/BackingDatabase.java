package io.zeroetl.testing.internal.redshift;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Prepares the PostgreSQL database that plays the Redshift cluster's database. */
public final class BackingDatabase {
    private BackingDatabase() {}

    /** Creates the emulator's helper schema and functions, and Redshift's session defaults. */
    /**
     * The cluster's kind, as the emulator models it: its isolation level, whether STL tables exist, its slices.
     *
     * @param snapshot SNAPSHOT isolation (else SERIALIZABLE), c_serial_isolation
     * @param serverless Serverless, which has SYS views but no STL tables (SYS_LOAD_ERROR_DETAIL)
     * @param slices the slices STV_SLICES lists
     * @param caseSensitive enable_case_sensitive_identifier for new sessions, as a parameter group sets it
     */
    public record Cluster(boolean snapshot, boolean serverless, int slices, boolean caseSensitive) {}

    public static void prepare(Connection c, String database, String postgresVersion, Cluster cluster)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA zeroetl_emulator");
            s.execute("CREATE FUNCTION zeroetl_emulator.reject(state text, message text) RETURNS int LANGUAGE plpgsql"
                    + " AS $$BEGIN RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message; END$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.too_long(kind text, n int) RETURNS boolean LANGUAGE plpgsql"
                    + " AS $$BEGIN RAISE EXCEPTION USING ERRCODE = '22001',"
                    + " MESSAGE = 'value too long for type ' || kind || '(' || n || ')'; END$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.overflow(p int, s int) RETURNS boolean LANGUAGE plpgsql"
                    + " AS $$BEGIN RAISE EXCEPTION USING ERRCODE = '22003', MESSAGE = 'Numeric data overflow (result"
                    + " precision)', DETAIL = 'DECIMAL(' || p || ',' || s || ') is stored as a 64-bit integer';"
                    + " END$$");
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
            // JSON_PARSE takes a VARCHAR (at most 65,535 bytes: r_Character_types) and refuses an object with
            // the same attribute twice unless json_parse_dedup_attributes is on, then keeps the last
            // (super-configurations); PostgreSQL's jsonb keeps the last silently
            s.execute("CREATE FUNCTION zeroetl_emulator.varchar_arg(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE"
                    + " AS $$BEGIN IF octet_length(t) > 65535 THEN RAISE EXCEPTION USING ERRCODE = '22001',"
                    + " MESSAGE = 'value too long for type character varying(65535)'; END IF; RETURN t; END$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.json_dups(j json) RETURNS boolean LANGUAGE plpgsql IMMUTABLE"
                    + " AS $$BEGIN IF json_typeof(j) = 'object' THEN"
                    + " RETURN (SELECT count(*) <> count(DISTINCT k) FROM json_object_keys(j) k)"
                    + " OR EXISTS (SELECT 1 FROM json_each(j) e WHERE json_typeof(e.value) IN ('object', 'array')"
                    + " AND zeroetl_emulator.json_dups(e.value));"
                    + " ELSIF json_typeof(j) = 'array' THEN RETURN EXISTS (SELECT 1 FROM json_array_elements(j) e"
                    + " WHERE json_typeof(e) IN ('object', 'array') AND zeroetl_emulator.json_dups(e)); END IF;"
                    + " RETURN false; END$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.json_parse(t text) RETURNS jsonb LANGUAGE plpgsql STABLE"
                    + " AS $$BEGIN IF t IS NULL THEN RETURN NULL; END IF; PERFORM zeroetl_emulator.varchar_arg(t);"
                    + " IF current_setting('zeroetl_emulator.json_parse_dedup_attributes', true) IS DISTINCT FROM"
                    + " 'true' AND strpos(t, '{') > 0 AND zeroetl_emulator.json_dups(t::json) THEN"
                    + " RAISE EXCEPTION USING ERRCODE = 'XX000', MESSAGE = 'JSON parsing error: duplicate attribute"
                    + " name in an object (set json_parse_dedup_attributes to keep the last)'; END IF;"
                    // a string in a SUPER value holds at most 65,535 bytes (limitations-super)
                    + " IF octet_length(t) > 65535 AND EXISTS (SELECT 1 FROM jsonb_path_query(t::jsonb, 'strict $.**')"
                    + " v WHERE jsonb_typeof(v) = 'string' AND octet_length(v #>> '{}') > 65535) THEN"
                    + " RAISE EXCEPTION USING ERRCODE = 'XX000', MESSAGE = 'JSON parsing error: string value exceeds"
                    + " the max size of 65535 bytes'; END IF;"
                    + " RETURN t::jsonb; END$$");
            // Redshift serializes SUPER compactly ({"a":[1,2]}); jsonb's text form has spaces after : and ,
            // jsonb's text puts exactly ", " and ": " between items outside strings: drop their spaces in one regex
            // pass that steps over whole strings (a recursive walk took 0.5 ms a row in validation)
            // JSON_SERIALIZE returns a VARCHAR, so a document over 65,535 bytes fails (JSON_SERIALIZE)
            s.execute("CREATE FUNCTION zeroetl_emulator.json_serialize(j jsonb) RETURNS varchar LANGUAGE sql"
                    + " IMMUTABLE AS $$SELECT zeroetl_emulator.varchar_arg(pg_catalog.regexp_replace(j::text,"
                    + " $r$(\"(?:[^\"\\\\]|\\\\.)*\")|([,:]) $r$, $r$\\1\\2$r$, 'g'))$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.json_serialize_to_varbyte(j jsonb) RETURNS bytea LANGUAGE sql"
                    + " IMMUTABLE AS $$SELECT convert_to(pg_catalog.regexp_replace(j::text,"
                    + " $r$(\"(?:[^\"\\\\]|\\\\.)*\")|([,:]) $r$, $r$\\1\\2$r$, 'g'), 'UTF8')$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.json_size(jsonb) RETURNS int LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT octet_length(zeroetl_emulator.json_serialize_to_varbyte($1))$$");
            // Redshift functions PostgreSQL lacks or spells differently (the driver's metadata queries use them)
            s.execute("CREATE FUNCTION zeroetl_emulator.isnull(anyelement, anyelement) RETURNS anyelement"
                    + " LANGUAGE sql IMMUTABLE AS $$SELECT coalesce($1, $2)$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.nvl(anyelement, anyelement) RETURNS anyelement"
                    + " LANGUAGE sql IMMUTABLE AS $$SELECT coalesce($1, $2)$$");
            // LEN: a string's characters, a VARBYTE's bytes (r_LEN)
            s.execute("CREATE FUNCTION zeroetl_emulator.len(text) RETURNS int LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT length($1)$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.len(bytea) RETURNS int LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT octet_length($1)$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.charindex(text, text) RETURNS int LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT strpos($2, $1)$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.regexp_substr(text, text, int DEFAULT 1) RETURNS text"
                    + " LANGUAGE sql IMMUTABLE AS $$SELECT coalesce((regexp_match(substr($1, $3), $2))[1], '')$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.regexp_replace(text, text, text DEFAULT '') RETURNS text"
                    + " LANGUAGE sql IMMUTABLE AS $$SELECT pg_catalog.regexp_replace($1, $2, $3, 'g')$$");
            s.execute("CREATE FUNCTION zeroetl_emulator.from_hex(text) RETURNS bytea LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT decode(zeroetl_emulator.varchar_arg($1), 'hex')$$");
            // TO_VARBYTE(string, format): hex or utf8 (r_TO_VARBYTE; binary is not modeled)
            s.execute("CREATE FUNCTION zeroetl_emulator.to_varbyte(t text, format text) RETURNS bytea LANGUAGE plpgsql"
                    + " IMMUTABLE AS $$BEGIN PERFORM zeroetl_emulator.varchar_arg(t); RETURN CASE lower(format)"
                    + " WHEN 'hex' THEN decode(t, 'hex') WHEN 'utf8' THEN convert_to(t, 'UTF8')"
                    + " WHEN 'utf-8' THEN convert_to(t, 'UTF8')"
                    + " ELSE zeroetl_emulator.reject('22023', 'TO_VARBYTE: format ' || format || ' is not hex or utf8"
                    + " (binary is not modeled by the emulator)')::text::bytea"
                    + " END; END$$");
            // SUM of SMALLINT, INTEGER and BIGINT returns BIGINT and overflows past it (r_SUM); PostgreSQL's
            // returns numeric for BIGINT and never overflows
            for (String type : new String[] {"smallint", "integer", "bigint"}) {
                s.execute("CREATE FUNCTION zeroetl_emulator.sum_step(s bigint, v " + type + ") RETURNS bigint"
                        + " LANGUAGE sql IMMUTABLE AS $$SELECT CASE WHEN v IS NULL THEN s WHEN s IS NULL THEN v"
                        + " ELSE s + v END$$");
                s.execute("CREATE AGGREGATE zeroetl_emulator.sum(" + type + ") (SFUNC = zeroetl_emulator.sum_step,"
                        + " STYPE = bigint)");
            }
            for (String type : new String[] {"numeric", "real", "double precision", "interval"}) {
                s.execute("CREATE AGGREGATE zeroetl_emulator.sum(" + type + ") (SFUNC = "
                        + (type.equals("numeric")
                                ? "numeric_add"
                                : type.equals("real")
                                        ? "float4pl"
                                        : type.equals("interval") ? "interval_pl" : "float8pl")
                        + ", STYPE = " + type + ")");
            }
            // TO_HEX returns a VARCHAR: a VARBYTE over 32,767 bytes does not fit (r_TO_HEX, r_Character_types)
            s.execute("CREATE FUNCTION zeroetl_emulator.to_hex(bytea) RETURNS text LANGUAGE sql IMMUTABLE"
                    + " AS $$SELECT zeroetl_emulator.varchar_arg(encode($1, 'hex'))$$");
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
            // privileges explicitly granted on tables and views, and on their columns (r_SVV_RELATION_PRIVILEGES,
            // r_SVV_COLUMN_PRIVILEGES); PostgreSQL has no user groups apart from roles, so a role that may log in
            // plays a user and one that may not a group (CREATE GROUP makes such a role)
            String identity = "CASE WHEN a.grantee = 0 THEN 'public' WHEN r.rolcanlogin THEN 'user' ELSE 'group' END";
            s.execute(
                    "CREATE VIEW zeroetl_emulator.svv_relation_privileges AS SELECT n.nspname::text AS namespace_name,"
                            + " c.relname::text AS relation_name, a.privilege_type::text AS privilege_type,"
                            + " a.grantee::int AS identity_id, coalesce(r.rolname::text, 'public') AS identity_name, "
                            + identity + " AS identity_type, a.is_grantable AS admin_option FROM pg_class c"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(c.relacl) a"
                            + " LEFT JOIN pg_roles r ON r.oid = a.grantee WHERE c.relkind IN ('r', 'v', 'm')"
                            + " AND a.grantee <> c.relowner AND a.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE',"
                            + " 'REFERENCES', 'TRUNCATE')");
            s.execute("CREATE VIEW zeroetl_emulator.svv_column_privileges AS SELECT n.nspname::text AS namespace_name,"
                    + " c.relname::text AS relation_name, att.attname::text AS column_name,"
                    + " a.privilege_type::text AS privilege_type, a.grantee::int AS identity_id,"
                    + " coalesce(r.rolname::text, 'public') AS identity_name, " + identity + " AS identity_type"
                    + " FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(att.attacl) a"
                    + " LEFT JOIN pg_roles r ON r.oid = a.grantee WHERE c.relkind IN ('r', 'v', 'm')"
                    + " AND att.attnum > 0 AND NOT att.attisdropped AND a.grantee <> c.relowner"
                    + " AND a.privilege_type IN ('SELECT', 'UPDATE')");
            // the sessions of the database (r_STV_SESSIONS); PG_BACKEND_PID and PG_TERMINATE_BACKEND are PostgreSQL's
            // own, which end only a session of one's own user, as Redshift's do (PG_TERMINATE_BACKEND)
            s.execute("CREATE VIEW zeroetl_emulator.stv_sessions AS SELECT backend_start::timestamp AS starttime,"
                    + " pid AS process, usename::char(50) AS user_name, datname::char(50) AS db_name, 0 AS timeout_sec"
                    + " FROM pg_stat_activity WHERE backend_type = 'client backend'");
            // COPY's load errors (r_STL_LOAD_ERRORS, SYS_LOAD_ERROR_DETAIL): written outside the loading
            // transaction, so they outlive its rollback as Redshift's system log does
            s.execute("CREATE TABLE zeroetl_emulator.load_error_log (userid int, slice int, tbl int, starttime"
                    + " timestamp, session int, query int, filename char(256), line_number bigint, colname char(127),"
                    + " type char(10), col_length char(10), position int, raw_line char(1024), raw_field_value"
                    + " char(1024), err_code int, err_reason char(100), is_partial int, start_offset bigint)");
            s.execute(
                    "CREATE VIEW zeroetl_emulator.sys_load_error_detail AS SELECT userid AS user_id, query AS query_id,"
                            + " session AS session_id, tbl AS table_id, starttime AS start_time, rtrim(filename) AS file_name,"
                            + " line_number, rtrim(colname) AS column_name, rtrim(type) AS column_type, rtrim(col_length) AS"
                            + " column_length, position, err_code AS error_code, rtrim(err_reason) AS error_message"
                            + " FROM zeroetl_emulator.load_error_log");
            if (!cluster.serverless()) {
                s.execute(
                        "CREATE VIEW zeroetl_emulator.stl_load_errors AS SELECT * FROM zeroetl_emulator.load_error_log");
            }
            // one row a slice (r_STV_SLICES): what a loader asks to split its files by
            s.execute("CREATE VIEW zeroetl_emulator.stv_slices AS SELECT n / 2 AS node, n AS slice, 0 AS localslice,"
                    + " 'D'::char(1) AS type FROM generate_series(0, " + (cluster.slices() - 1) + ") n");
            // the database's isolation level (r_STV_DB_ISOLATION_LEVEL): "Serializable" or "Snapshot Isolation";
            // the database is the one clients see (CURRENT_DATABASE() is dev)
            s.execute("CREATE VIEW zeroetl_emulator.stv_db_isolation_level AS SELECT 'dev'::char(128)"
                    + " AS db_name, '" + (cluster.snapshot() ? "Snapshot Isolation" : "Serializable")
                    + "'::char(20) AS isolation_level");
            WriteLocks.install(s, cluster.snapshot());
            String db = "\"" + database.replace("\"", "\"\"") + "\"";
            s.execute("ALTER DATABASE " + db + " SET timezone = 'UTC'");
            // Redshift reads a backslash in a string literal as an escape ('a\\b' is a\b)
            s.execute("ALTER DATABASE " + db + " SET standard_conforming_strings = off");
            s.execute("ALTER DATABASE " + db + " SET escape_string_warning = off");
            // SERIALIZABLE or SNAPSHOT, the database's isolation (c_serial_isolation): PostgreSQL's REPEATABLE READ
            // is snapshot isolation, first updater wins
            s.execute("ALTER DATABASE " + db + " SET default_transaction_isolation = '"
                    + (cluster.snapshot() ? "repeatable read" : "serializable") + "'");
            // Redshift joins large tables by hash (no indexes, no nested loops over a table scan); PostgreSQL,
            // without statistics on a fresh staging table, would pick nested loops that scan the target once
            // per staged row
            s.execute("ALTER DATABASE " + db + " SET enable_nestloop = off");
            s.execute("ALTER DATABASE " + db + " SET zeroetl_emulator.enable_case_sensitive_identifier = '"
                    + cluster.caseSensitive() + "'");
            s.execute("ALTER DATABASE " + db + " SET zeroetl_emulator.json_parse_dedup_attributes = 'false'");
            s.execute("ALTER DATABASE " + db + " SET zeroetl_emulator.json_parse_truncate_strings = 'false'");
        }
    }

    /** A random password for the emulator's user: letters and digits, no look-alikes. */
    public static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder("Rs");
        for (int i = 0; i < 22; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}

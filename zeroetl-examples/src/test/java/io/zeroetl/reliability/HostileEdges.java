package io.zeroetl.reliability;

import static io.zeroetl.reliability.HostileCase.Outcome.CONVERTED;
import static io.zeroetl.reliability.HostileCase.Outcome.FAILED;
import static io.zeroetl.reliability.HostileCase.Outcome.REPLICATED;

import java.util.List;

/** Hostile catalog cases: the edges independent checks found broken, each a case of its own. */
final class HostileEdges {
    private HostileEdges() {}

    static void addTo(HostileCatalog c) {
        c.section = "edge";
        c.add(
                "edge",
                "keyless table (REPLICA IDENTITY FULL) with duplicate rows: one copy deleted, one updated, two"
                        + " added",
                "public.h_dups",
                List.of(
                        "CREATE TABLE h_dups (a int, b text)",
                        "ALTER TABLE h_dups REPLICA IDENTITY FULL",
                        "INSERT INTO h_dups VALUES (1, 'x'), (1, 'x'), (1, 'x'), (2, 'y'), (2, 'y'), (3, NULL)"),
                List.of(
                        "DELETE FROM h_dups WHERE ctid = (SELECT min(ctid) FROM h_dups WHERE a = 1)",
                        "UPDATE h_dups SET b = 'z' WHERE ctid = (SELECT min(ctid) FROM h_dups WHERE a = 2)",
                        "INSERT INTO h_dups VALUES (1, 'x'), (3, NULL)",
                        "DELETE FROM h_dups WHERE ctid = (SELECT min(ctid) FROM h_dups WHERE a = 3)"),
                REPLICATED,
                null,
                null);
        c.add(
                "edge",
                "REPLICA IDENTITY FULL table with a primary key and NULLs",
                "public.h_full_nulls",
                List.of(
                        "CREATE TABLE h_full_nulls (id int PRIMARY KEY, v text, n int)",
                        "ALTER TABLE h_full_nulls REPLICA IDENTITY FULL",
                        "INSERT INTO h_full_nulls VALUES (1, NULL, NULL), (2, 'b', NULL)"),
                List.of(
                        "UPDATE h_full_nulls SET n = 5 WHERE id = 1",
                        "INSERT INTO h_full_nulls VALUES (3, NULL, 3)",
                        "DELETE FROM h_full_nulls WHERE id = 2"),
                REPLICATED,
                null,
                null);
        for (String key : List.of("", " PRIMARY KEY")) {
            String name = key.isEmpty() ? "h_full_toast_nokey" : "h_full_toast";
            c.add(
                    "edge",
                    "REPLICA IDENTITY FULL table" + (key.isEmpty() ? " without a key" : "") + ": a TOASTed value"
                            + " stays while another column changes",
                    "public." + name,
                    List.of(
                            "CREATE TABLE " + name + " (id int" + key + ", big text, n int)",
                            "ALTER TABLE " + name + " ALTER COLUMN big SET STORAGE EXTERNAL",
                            "ALTER TABLE " + name + " REPLICA IDENTITY FULL",
                            "INSERT INTO " + name
                                    + " SELECT g, repeat(md5(g::text), 300), g FROM generate_series(1, 3) g"),
                    List.of("UPDATE " + name + " SET n = n + 10", "UPDATE " + name + " SET n = 0 WHERE id = 2"),
                    REPLICATED,
                    null,
                    null);
        }
        c.add(
                "edge",
                "a DEFERRABLE primary key (no replica identity): the table fails, the application's own updates"
                        + " go on",
                "public.h_deferrable",
                List.of(
                        "CREATE TABLE h_deferrable (id int PRIMARY KEY DEFERRABLE, v text)",
                        "INSERT INTO h_deferrable VALUES (1, 'a')"),
                List.of(
                        "UPDATE h_deferrable SET v = 'updated by the application' WHERE id = 1",
                        "DELETE FROM h_deferrable WHERE id = 1"),
                FAILED,
                "DEFERRABLE",
                null);
        c.add(
                "edge",
                "a primary key made DEFERRABLE while streaming: the table fails, the application's own updates"
                        + " go on",
                "public.h_deferred_later",
                List.of(
                        "CREATE TABLE h_deferred_later (id int, v text, CONSTRAINT h_dl_pk PRIMARY KEY (id))",
                        "INSERT INTO h_deferred_later VALUES (1, 'a')"),
                List.of(
                        "BEGIN; ALTER TABLE h_deferred_later DROP CONSTRAINT h_dl_pk; ALTER TABLE h_deferred_later"
                                + " ADD CONSTRAINT h_dl_pk PRIMARY KEY (id) DEFERRABLE; COMMIT",
                        "UPDATE h_deferred_later SET v = 'updated by the application' WHERE id = 1"),
                FAILED,
                "DEFERRABLE",
                null);
        StringBuilder moves = new StringBuilder("BEGIN");
        for (int i = 0; i < 10; i++) {
            moves.append("; UPDATE h_key_moves SET id = id + 100 WHERE id = ").append(1 + 100 * i);
        }
        c.add(
                "edge",
                "a key changed 10 times in one transaction while a TOASTed 8 KB value stays unchanged",
                "public.h_key_moves",
                List.of(
                        "CREATE TABLE h_key_moves (id int PRIMARY KEY, big text, n int)",
                        "ALTER TABLE h_key_moves ALTER COLUMN big SET STORAGE EXTERNAL",
                        "INSERT INTO h_key_moves SELECT g, repeat(md5(g::text), 256), g FROM generate_series(1, 2) g"),
                List.of(moves.append("; COMMIT").toString()),
                REPLICATED,
                null,
                null);
        c.add(
                "edge",
                "DROP TABLE and CREATE TABLE of the same name in one transaction, the key int → bigint",
                "public.h_recreate_key",
                List.of(
                        "CREATE TABLE h_recreate_key (id int PRIMARY KEY, v text)",
                        "INSERT INTO h_recreate_key VALUES (1, 'a')"),
                List.of(
                        "BEGIN; DROP TABLE h_recreate_key; CREATE TABLE h_recreate_key (id bigint PRIMARY KEY, v text);"
                                + " INSERT INTO h_recreate_key VALUES (9000000000, 'big'); COMMIT",
                        "INSERT INTO h_recreate_key VALUES (9000000001, 'bigger')"),
                REPLICATED,
                null,
                null);
        c.add(
                "edge",
                "a plain table whose columns are named like history and soft-delete columns: deletes delete,"
                        + " TRUNCATE empties",
                "public.h_meta_names",
                List.of(
                        "CREATE TABLE h_meta_names (id int PRIMARY KEY, _record_is_active bool, _record_create_time"
                                + " timestamptz, _record_delete_time timestamptz, _zeroetl_deleted bool, _zeroetl_deleted_at"
                                + " timestamptz)",
                        "INSERT INTO h_meta_names VALUES (1, true, now(), NULL, false, NULL),"
                                + " (2, false, now(), now(), true, now())"),
                List.of(
                        "DELETE FROM h_meta_names WHERE id = 1",
                        "TRUNCATE h_meta_names",
                        "INSERT INTO h_meta_names VALUES (3, NULL, NULL, NULL, NULL, NULL)"),
                REPLICATED,
                null,
                null);
        c.add(
                "edge",
                "columns named like zeroetl's staging columns",
                "public.h_stage_names",
                List.of(
                        "CREATE TABLE h_stage_names (id int PRIMARY KEY, zeroetl_seq int, zeroetl_op text,"
                                + " zeroetl_unchanged text, c1 text, zeroetl_rn int)",
                        "INSERT INTO h_stage_names VALUES (1, 1, 'D', ',0,', 'c', 1)"),
                List.of(
                        "UPDATE h_stage_names SET zeroetl_op = 'U' WHERE id = 1",
                        "INSERT INTO h_stage_names VALUES (2, 2, 'M', ',1,', 'd', 2)"),
                REPLICATED,
                null,
                null);
        c.add(
                "edge",
                "a source table named zeroetl_state (zeroetl's own tables live in a schema of their own)",
                "public.zeroetl_state",
                List.of(
                        "CREATE TABLE zeroetl_state (pipeline_id text PRIMARY KEY, lsn text)",
                        "INSERT INTO zeroetl_state VALUES ('zeroetl', 'not a position')"),
                List.of(
                        "UPDATE zeroetl_state SET lsn = 'still not' WHERE pipeline_id = 'zeroetl'",
                        "INSERT INTO zeroetl_state VALUES ('other', '0/0')"),
                REPLICATED,
                null,
                null);
        c.value(
                "numeric(38,38) (scale 38: exact text)",
                "numeric(38,38)",
                "0." + "1".repeat(38),
                REPLICATED,
                null,
                null);
        c.value("numeric(5,-2) (negative scale, PostgreSQL 15+)", "numeric(5,-2)", "1234567", REPLICATED, null, null);
        c.value("numeric(3,5) (scale above precision)", "numeric(3,5)", "0.00123", REPLICATED, null, null);
        c.value(
                "money at its minimum (19 digits: beyond a 64-bit DECIMAL(19,2))",
                "money",
                "'-92233720368547758.08'::money",
                REPLICATED,
                null,
                null);
        c.add(
                "edge",
                "a conversion (SET_NULL) in a row whose key is 2,500 bytes",
                "public.h_long_key",
                List.of(
                        "CREATE TABLE h_long_key (k text PRIMARY KEY, v float8)",
                        "INSERT INTO h_long_key VALUES ('short', 1)"),
                List.of("INSERT INTO h_long_key VALUES (repeat('k', 2500), 'NaN')"),
                CONVERTED,
                null,
                "SET_NULL");
        c.add(
                "edge",
                "domains over numeric(10,2) and varchar(10)",
                "public.h_domains",
                List.of(
                        "CREATE DOMAIN h_amount AS numeric(10,2)",
                        "CREATE DOMAIN h_code AS varchar(10)",
                        "CREATE TABLE h_domains (id int PRIMARY KEY, amount h_amount, code h_code)",
                        "INSERT INTO h_domains VALUES (1, 12.5, 'abc')"),
                List.of("INSERT INTO h_domains VALUES (2, 99999999.99, 'ééééééééé')"),
                REPLICATED,
                null,
                null);
        c.add(
                "edge",
                "forged zeroetl messages from a user without privileges (junk copy progress, unsigned DROP TABLE)",
                "public.h_forged",
                List.of(
                        "CREATE TABLE h_forged (id int PRIMARY KEY, v text)",
                        "INSERT INTO h_forged VALUES (1, 'a')",
                        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'h_forger') THEN"
                                + " CREATE ROLE h_forger; END IF; END $$"),
                List.of(
                        "BEGIN; SET LOCAL ROLE h_forger; SELECT pg_logical_emit_message(true, 'zeroetl_snapshot',"
                                + " 'junk'); SELECT pg_logical_emit_message(true, 'zeroetl_ddl', '{\"tag\": \"DROP TABLE\","
                                + " \"schema\": \"public\", \"table\": \"h_forged\", \"identity\": \"d\", \"statement\": \"\","
                                + " \"renames\": [], \"columns\": []}'); SELECT pg_logical_emit_message(true, 'zeroetl_ddl', '"
                                + "0".repeat(64) + ":{}'); COMMIT",
                        "INSERT INTO h_forged VALUES (2, 'b')"),
                REPLICATED,
                null,
                null);
        String a = "c".repeat(62) + "a";
        String b = "c".repeat(62) + "b";
        c.add(
                "edge",
                "two 63-byte column names that differ in their last byte",
                "public.h_long_columns",
                List.of(
                        "CREATE TABLE h_long_columns (id int PRIMARY KEY, " + a + " varchar(3), " + b + " text)",
                        "INSERT INTO h_long_columns VALUES (1, 'abc', 'x')"),
                List.of("INSERT INTO h_long_columns VALUES (2, 'def', 'y')"),
                REPLICATED,
                null,
                null);
        c.add(
                "edge",
                "a column named oid (legal in PostgreSQL 12+, a system column name in Redshift)",
                "public.h_oid",
                List.of(
                        "CREATE TABLE h_oid (id int PRIMARY KEY, oid int, oid_ text)",
                        "INSERT INTO h_oid VALUES (1, 10, 'a')"),
                List.of("UPDATE h_oid SET oid = 11 WHERE id = 1", "INSERT INTO h_oid VALUES (2, 20, 'b')"),
                REPLICATED,
                null,
                null);
        c.table(
                "the key column's type int → bigint (Redshift cannot drop or retype a key column: rebuilt)",
                "h_key_retype",
                List.of(
                        "ALTER TABLE h_key_retype ALTER COLUMN id TYPE bigint",
                        "INSERT INTO h_key_retype VALUES (9000000000, 'big', 3)"),
                REPLICATED,
                null);
        c.value(
                "jsonb holding a 70 KB string (over the 65,535 bytes of a SUPER string)",
                "jsonb",
                "('{\"a\": \"' || repeat('z', 70000) || '\"}')::jsonb",
                FAILED,
                "65,535 bytes in one string of a SUPER value",
                null);
        c.value(
                "json with a repeated key (the last wins, as jsonb)",
                "json",
                "'{\"a\": 1, \"a\": 2}'",
                REPLICATED,
                null,
                null);
        c.value(
                "jsonb[] (an array of documents)",
                "jsonb[]",
                "ARRAY['{\"a\": 1}', '{\"b\": [true, null]}']::jsonb[]",
                REPLICATED,
                null,
                null);
        c.add(
                "edge",
                "two columns whose names differ only in case (a, A)",
                "public.h_case_columns",
                List.of(
                        "CREATE TABLE h_case_columns (id int PRIMARY KEY, a text, \"A\" int)",
                        "INSERT INTO h_case_columns VALUES (1, 'lower', 1)"),
                List.of(
                        "UPDATE h_case_columns SET \"A\" = 2 WHERE id = 1",
                        "INSERT INTO h_case_columns VALUES (2, 'second', 20)"),
                REPLICATED,
                null,
                null);
    }
}

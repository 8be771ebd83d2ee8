package io.zeroetl.reliability;

import static io.zeroetl.reliability.HostileCase.Outcome.CONVERTED;
import static io.zeroetl.reliability.HostileCase.Outcome.DROPPED;
import static io.zeroetl.reliability.HostileCase.Outcome.FAILED;
import static io.zeroetl.reliability.HostileCase.Outcome.REPLICATED;

import io.zeroetl.reliability.HostileCase.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The hostile input catalog: values, shapes, DDL and transactions that break replication tools, each with
 * the outcome the README's table promises. Each case has a table of its own, so a FAILED one shows that
 * the others go on.
 */
final class HostileCatalog {
    static final int BIG_TRANSACTION = Scale.of(200_000, 1_000_000);
    static final int TINY_TRANSACTIONS = 10_000;

    private final List<HostileCase> cases = new ArrayList<>();
    private String section = "ddl";

    private HostileCatalog() {}

    static List<HostileCase> cases() {
        HostileCatalog c = new HostileCatalog();
        c.values();
        c.shapes();
        c.ddl();
        c.transactions();
        c.edges();
        return List.copyOf(c.cases);
    }

    private void values() {
        value("real NaN", "real", "'NaN'", FAILED, "NaN", null);
        value(
                "double precision +Infinity, policy SET_NULL",
                "double precision",
                "'Infinity'",
                CONVERTED,
                null,
                "SET_NULL");
        value(
                "double precision -Infinity, policy TRUNCATE",
                "double precision",
                "'-Infinity'",
                CONVERTED,
                null,
                "TRUNCATE");
        value("numeric NaN (unbounded numeric: text)", "numeric", "'NaN'", REPLICATED, null, null);
        value(
                "numeric(38,0) at its 38-digit limit",
                "numeric(38,0)",
                "repeat('9', 38)::numeric",
                REPLICATED,
                null,
                null);
        value(
                "unbounded numeric of 60 digits",
                "numeric",
                "(repeat('7', 40) || '.' || repeat('3', 20))::numeric",
                REPLICATED,
                null,
                null);
        value(
                "numeric(50,10): precision beyond 38",
                "numeric(50,10)",
                "(repeat('1', 40) || '.5')::numeric",
                REPLICATED,
                null,
                null);
        value("70 KB string (over VARCHAR(65535))", "text", "repeat('x', 70000)", FAILED, "65535", null);
        value("70 KB string, policy TRUNCATE", "text", "repeat('y', 70000)", CONVERTED, null, "TRUNCATE");
        value("4-byte emoji", "text", "'🦀🚀 ok 𝄞'", REPLICATED, null, null);
        value("varchar(10) full of 4-byte emoji (40 bytes)", "varchar(10)", "repeat('😀', 10)", REPLICATED, null, null);
        value("NUL bytes in bytea", "bytea", "'\\x00ff0000'::bytea", REPLICATED, null, null);
        value(
                "json with a surrogate-range escape",
                "json",
                "'{\"s\": \"\\ud83d\\ude00 \\ud800\"}'",
                FAILED,
                "surrogate",
                null);
        value("json with an escaped NUL", "json", "'{\"n\": \"a\\u0000b\"}'", FAILED, "Unicode escape", null);
        value("date beyond 9999", "date", "'12345-06-07'", REPLICATED, null, null);
        value("date BC", "date", "'0044-03-15 BC'", REPLICATED, null, null);
        value("timestamp infinity", "timestamp", "'infinity'", FAILED, "infinity", null);
        value("date -infinity, policy SET_NULL", "date", "'-infinity'", CONVERTED, null, "SET_NULL");
        value("timestamptz in year 200000", "timestamptz", "'200000-01-01 00:00:00+00'", REPLICATED, null, null);
        value("interval of 178 million years", "interval", "'178000000 years 3 days'", REPLICATED, null, null);
        value(
                "bytea of 2 MB (more than the INSERT staging loader carries per value)",
                "bytea",
                "decode(repeat('ab', 2000000), 'hex')",
                FAILED,
                "staging loader carries",
                null);
        value(
                "SQL-injection-shaped text with quotes, backslashes, newlines",
                "text",
                "E'x''); DROP TABLE public.orders; --\\\\ \\n\\t\"q\"'",
                REPLICATED,
                null,
                null);
        value(
                "jsonb with unicode keys, deep nesting",
                "jsonb",
                "'{\"ключ\": {\"キー\": [1, {\"a\": [null, true, 1.5e300]}]}}'",
                REPLICATED,
                null,
                null);
        value("float8[] with an Infinity element", "float8[]", "'{1.5,Infinity,NULL}'", FAILED, "Infinity", null);
        value("int[][] with NULL elements", "int[]", "'{{1,NULL},{NULL,4}}'", REPLICATED, null, null);
        value("float8[] with a NaN element", "float8[]", "'{1.5,NaN}'", FAILED, "NaN", null);
    }

    private void shapes() {
        String wide =
                IntStream.rangeClosed(2, 1600).mapToObj(i -> "c" + i + " int").collect(Collectors.joining(", "));
        add(
                "shape",
                "table of 1,600 columns (PostgreSQL's and Redshift's limit)",
                "public.h_wide",
                List.of(
                        "CREATE TABLE h_wide (id int PRIMARY KEY, " + wide.substring(wide.indexOf(',') + 2) + ")",
                        "INSERT INTO h_wide (id, c3) VALUES (1, 3)"),
                List.of("INSERT INTO h_wide (id, c1600) VALUES (2, 1600)"),
                FAILED,
                "1600 columns",
                null);
        String name63 = "n" + "x".repeat(62);
        simple("shape", "identifier of 63 bytes (PostgreSQL's limit)", name63, "v", REPLICATED);
        String name200 = "t" + "y".repeat(199);
        add(
                "shape",
                "identifier of 200 bytes (PostgreSQL keeps its first 63)",
                "public." + name200.substring(0, 63),
                List.of(
                        "CREATE TABLE " + Sql.id(name200) + " (id int PRIMARY KEY, v text)",
                        "INSERT INTO " + Sql.id(name200) + " VALUES (1, 'a')"),
                List.of("INSERT INTO " + Sql.id(name200) + " VALUES (2, 'b')"),
                REPLICATED,
                null,
                null);
        simple(
                "shape",
                "identifier of 63 bytes of 2- and 3-byte characters",
                "é".repeat(18) + "表".repeat(9),
                "v",
                REPLICATED);
        simple("shape", "quotes in table and column names", "we\"ird'", "a\"b", REPLICATED);
        simple("shape", "spaces in table and column names", "order items", "unit price", REPLICATED);
        simple("shape", "unicode table and column names", "注文", "数量", REPLICATED);
        simple("shape", "Redshift reserved words as names", "select", "tag", REPLICATED);
        simple("shape", "tables whose names differ only in case (1)", "Mixed", "v", REPLICATED);
        simple("shape", "tables whose names differ only in case (2)", "mixed", "v", REPLICATED);
        simple(
                "shape",
                "SQL-injection-shaped names",
                "x\"; DROP TABLE public.h_01; --",
                "1); DELETE FROM h_02; --",
                REPLICATED);
        add(
                "shape",
                "hostile schema name",
                "we ird \"schema\".t",
                List.of(
                        "CREATE SCHEMA \"we ird \"\"schema\"\"\"",
                        "CREATE TABLE \"we ird \"\"schema\"\"\".t (id int PRIMARY KEY, v text)",
                        "INSERT INTO \"we ird \"\"schema\"\"\".t VALUES (1, 'a')"),
                List.of("INSERT INTO \"we ird \"\"schema\"\"\".t VALUES (2, 'b')"),
                REPLICATED,
                null,
                null);
    }

    private void ddl() {
        table(
                "RENAME TABLE (to a name not selected)",
                "h_rename",
                List.of("ALTER TABLE h_rename RENAME TO h_gone"),
                FAILED,
                "renamed");
        table("DROP TABLE", "h_drop", List.of("DROP TABLE h_drop"), DROPPED, null);
        table(
                "column type int → bigint",
                "h_type1",
                List.of(
                        "ALTER TABLE h_type1 ALTER COLUMN n TYPE bigint",
                        "INSERT INTO h_type1 VALUES (3, 'c', 9000000000)"),
                REPLICATED,
                null);
        table(
                "column type text → int (USING)",
                "h_type2",
                List.of(
                        "UPDATE h_type2 SET v = id::text",
                        "ALTER TABLE h_type2 ALTER COLUMN v TYPE int USING v::int",
                        "INSERT INTO h_type2 VALUES (3, 33, 3)"),
                REPLICATED,
                null);
        table(
                "primary key changed to another column",
                "h_pk_change",
                List.of(
                        "ALTER TABLE h_pk_change DROP CONSTRAINT h_pk_change_pkey",
                        "ALTER TABLE h_pk_change ADD PRIMARY KEY (n)",
                        "UPDATE h_pk_change SET v = 'moved' WHERE n = 2"),
                REPLICATED,
                null);
        table(
                "primary key dropped (no replica identity left)",
                "h_pk_drop",
                List.of(
                        "ALTER TABLE h_pk_drop DROP CONSTRAINT h_pk_drop_pkey",
                        "INSERT INTO h_pk_drop VALUES (3, 'c', 3)"),
                FAILED,
                "key");
        add(
                "ddl",
                "table without a primary key",
                "public.h_nopk",
                List.of("CREATE TABLE h_nopk (id int, v text)", "INSERT INTO h_nopk VALUES (1, 'a')"),
                List.of("INSERT INTO h_nopk VALUES (2, 'b')"),
                FAILED,
                "key",
                null);
        add(
                "ddl",
                "primary key added to a table without one",
                "public.h_pk_add",
                List.of("CREATE TABLE h_pk_add (id int, v text)", "INSERT INTO h_pk_add VALUES (1, 'a')"),
                List.of("ALTER TABLE h_pk_add ADD PRIMARY KEY (id)", "INSERT INTO h_pk_add VALUES (2, 'b')"),
                FAILED,
                "key",
                null);
        add(
                "ddl",
                "partitioned table",
                "public.h_parted",
                List.of(
                        "CREATE TABLE h_parted (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)",
                        "CREATE TABLE h_parted_1 PARTITION OF h_parted FOR VALUES FROM (0) TO (1000)",
                        "INSERT INTO h_parted VALUES (1, 'a')"),
                List.of("INSERT INTO h_parted VALUES (2, 'b')"),
                FAILED,
                "partition",
                null);
        add(
                "ddl",
                "unlogged table",
                "public.h_unlogged",
                List.of(
                        "CREATE UNLOGGED TABLE h_unlogged (id int PRIMARY KEY, v text)",
                        "INSERT INTO h_unlogged VALUES (1, 'a')"),
                List.of("INSERT INTO h_unlogged VALUES (2, 'b')"),
                FAILED,
                "unlogged",
                null);
        table(
                "table dropped and created again with the same name",
                "h_recreate",
                List.of(
                        "DROP TABLE h_recreate",
                        "CREATE TABLE h_recreate (id int PRIMARY KEY, v text, n bigint)",
                        "INSERT INTO h_recreate VALUES (7, 'new', 7)"),
                REPLICATED,
                null);
        table(
                "ADD COLUMN with a default (existing rows get it without a WAL change)",
                "h_add_default",
                List.of(
                        "ALTER TABLE h_add_default ADD COLUMN d int DEFAULT 42",
                        "INSERT INTO h_add_default VALUES (3, 'c', 3)"),
                REPLICATED,
                null);
    }

    private void transactions() {
        section = "transaction";
        table(
                "empty transaction and one touching only unselected tables",
                "h_tx_empty",
                List.of(
                        "BEGIN; COMMIT",
                        "CREATE TEMP TABLE scratch (x int); INSERT INTO scratch VALUES (1)",
                        "INSERT INTO h_tx_empty VALUES (3, 'c', 3)"),
                REPLICATED,
                null);
        table(
                "one transaction of 1 M rows (200,000 in the quick version)",
                "h_tx_big",
                List.of("INSERT INTO h_tx_big SELECT g, 'r' || g, g" + " FROM generate_series(10, "
                        + (BIG_TRANSACTION + 9) + ") g"),
                REPLICATED,
                null);
        table(
                "10,000 tiny transactions",
                "h_tx_tiny",
                List.of("DO $$ BEGIN FOR i IN 10.." + (TINY_TRANSACTIONS + 9)
                        + " LOOP INSERT INTO h_tx_tiny VALUES (i, 't', i); COMMIT; END LOOP; END $$"),
                REPLICATED,
                null);
        table(
                "a large streamed transaction rolled back",
                "h_tx_abort",
                List.of(
                        "DO $$ BEGIN INSERT INTO h_tx_abort SELECT g,"
                                + " repeat('z', 200), g FROM generate_series(10, 50009) g; RAISE EXCEPTION 'rolled back'; END $$"),
                REPLICATED,
                null);
        table(
                "savepoints rolled back",
                "h_tx_savepoint",
                List.of(
                        "BEGIN; INSERT INTO h_tx_savepoint VALUES (3, 'kept', 3);"
                                + " SAVEPOINT s; INSERT INTO h_tx_savepoint VALUES (4, 'gone', 4); UPDATE h_tx_savepoint SET v = 'gone'"
                                + " WHERE id = 1; ROLLBACK TO SAVEPOINT s; INSERT INTO h_tx_savepoint VALUES (5, 'kept', 5); COMMIT"),
                REPLICATED,
                null);
        table(
                "TRUNCATE",
                "h_truncate",
                List.of("TRUNCATE h_truncate", "INSERT INTO h_truncate VALUES (9, 'after', 9)"),
                REPLICATED,
                null);
    }

    /** The edges an independent check found broken (issue 16 and 17), each a case of its own. */
    private void edges() {
        section = "edge";
        add(
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
        add(
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
            add(
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
        add(
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
        add(
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
        add(
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
        add(
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
        add(
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
        add(
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
        add(
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
        value("numeric(38,38) (scale 38: exact text)", "numeric(38,38)", "0." + "1".repeat(38), REPLICATED, null, null);
        value("numeric(5,-2) (negative scale, PostgreSQL 15+)", "numeric(5,-2)", "1234567", REPLICATED, null, null);
        value("numeric(3,5) (scale above precision)", "numeric(3,5)", "0.00123", REPLICATED, null, null);
        value(
                "money at its minimum (19 digits: beyond a 64-bit DECIMAL(19,2))",
                "money",
                "'-92233720368547758.08'::money",
                REPLICATED,
                null,
                null);
        add(
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
        add(
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
        add(
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
        add(
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
        add(
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
        table(
                "the key column's type int → bigint (Redshift cannot drop or retype a key column: rebuilt)",
                "h_key_retype",
                List.of(
                        "ALTER TABLE h_key_retype ALTER COLUMN id TYPE bigint",
                        "INSERT INTO h_key_retype VALUES (9000000000, 'big', 3)"),
                REPLICATED,
                null);
        value(
                "jsonb of 70 KB (more than the INSERT staging loader carries per value)",
                "jsonb",
                "('{\"a\": \"' || repeat('z', 70000) || '\"}')::jsonb",
                FAILED,
                "staging loader carries",
                null);
        value(
                "json with a repeated key (the last wins, as jsonb)",
                "json",
                "'{\"a\": 1, \"a\": 2}'",
                REPLICATED,
                null,
                null);
        value(
                "jsonb[] (an array of documents)",
                "jsonb[]",
                "ARRAY['{\"a\": 1}', '{\"b\": [true, null]}']::jsonb[]",
                REPLICATED,
                null,
                null);
        add(
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

    private void value(String description, String type, String literal, Outcome outcome, String reason, String policy) {
        String name = "h_v" + (cases.size() + 1);
        add(
                "value",
                description,
                "public." + name,
                List.of(
                        "CREATE TABLE " + name + " (id int PRIMARY KEY, v " + type + ")",
                        "INSERT INTO " + name + " VALUES (1, NULL)"),
                List.of("INSERT INTO " + name + " VALUES (2, " + literal + ")"),
                outcome,
                reason,
                policy);
    }

    private void simple(String kind, String description, String table, String column, Outcome outcome) {
        String t = Sql.id(table);
        add(
                kind,
                description,
                "public." + table,
                List.of(
                        "CREATE TABLE " + t + " (id int PRIMARY KEY, " + Sql.id(column) + " text)",
                        "INSERT INTO " + t + " VALUES (1, " + Sql.literal(table) + ")"),
                List.of(
                        "INSERT INTO " + t + " VALUES (2, " + Sql.literal(column) + ")",
                        "UPDATE " + t + " SET " + Sql.id(column) + " = 'updated' WHERE id = 1"),
                outcome,
                null,
                null);
    }

    /** A case on a table {@code (id int PRIMARY KEY, v text, n int)} with two rows, changed by {@code during}. */
    private void table(String description, String name, List<String> during, Outcome outcome, String reason) {
        add(
                section,
                description,
                "public." + name,
                List.of(
                        "CREATE TABLE " + name + " (id int PRIMARY KEY, v text, n int)",
                        "INSERT INTO " + name + " VALUES (1, 'a', 1), (2, 'b', 2)"),
                during,
                outcome,
                reason,
                null);
    }

    private void add(
            String kind,
            String description,
            String table,
            List<String> before,
            List<String> during,
            Outcome outcome,
            String reason,
            String policy) {
        cases.add(new HostileCase(cases.size() + 1, kind, description, table, before, during, outcome, reason, policy));
    }
}

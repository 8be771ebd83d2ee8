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

    private HostileCatalog() {
    }

    static List<HostileCase> cases() {
        HostileCatalog c = new HostileCatalog();
        c.values();
        c.shapes();
        c.ddl();
        c.transactions();
        return List.copyOf(c.cases);
    }

    private void values() {
        value("real NaN", "real", "'NaN'", FAILED, "NaN", null);
        value("double precision +Infinity, policy SET_NULL", "double precision", "'Infinity'", CONVERTED, null, "SET_NULL");
        value("double precision -Infinity, policy TRUNCATE", "double precision", "'-Infinity'", CONVERTED, null, "TRUNCATE");
        value("numeric NaN (unbounded numeric: text)", "numeric", "'NaN'", REPLICATED, null, null);
        value("numeric(38,0) at its 38-digit limit", "numeric(38,0)", "repeat('9', 38)::numeric", REPLICATED, null, null);
        value("unbounded numeric of 60 digits", "numeric", "(repeat('7', 40) || '.' || repeat('3', 20))::numeric",
                REPLICATED, null, null);
        value("numeric(50,10): precision beyond 38", "numeric(50,10)", "(repeat('1', 40) || '.5')::numeric",
                REPLICATED, null, null);
        value("70 KB string (over VARCHAR(65535))", "text", "repeat('x', 70000)", FAILED, "65535", null);
        value("70 KB string, policy TRUNCATE", "text", "repeat('y', 70000)", CONVERTED, null, "TRUNCATE");
        value("4-byte emoji", "text", "'🦀🚀 ok 𝄞'", REPLICATED, null, null);
        value("varchar(10) full of 4-byte emoji (40 bytes)", "varchar(10)", "repeat('😀', 10)", REPLICATED, null, null);
        value("NUL bytes in bytea", "bytea", "'\\x00ff0000'::bytea", REPLICATED, null, null);
        value("json with a surrogate-range escape", "json", "'{\"s\": \"\\ud83d\\ude00 \\ud800\"}'", FAILED, "surrogate",
                null);
        value("json with an escaped NUL", "json", "'{\"n\": \"a\\u0000b\"}'", FAILED, "Unicode escape", null);
        value("date beyond 9999", "date", "'12345-06-07'", REPLICATED, null, null);
        value("date BC", "date", "'0044-03-15 BC'", REPLICATED, null, null);
        value("timestamp infinity", "timestamp", "'infinity'", FAILED, "infinity", null);
        value("date -infinity, policy SET_NULL", "date", "'-infinity'", CONVERTED, null, "SET_NULL");
        value("timestamptz in year 200000", "timestamptz", "'200000-01-01 00:00:00+00'", REPLICATED, null, null);
        value("interval of 178 million years", "interval", "'178000000 years 3 days'", REPLICATED, null, null);
        value("bytea of 2 MB (over VARBYTE's 1,024,000 bytes)", "bytea", "decode(repeat('ab', 2000000), 'hex')", FAILED,
                "1024000", null);
        value("SQL-injection-shaped text with quotes, backslashes, newlines", "text",
                "E'x''); DROP TABLE public.orders; --\\\\ \\n\\t\"q\"'", REPLICATED, null, null);
        value("jsonb with unicode keys, deep nesting", "jsonb",
                "'{\"ключ\": {\"キー\": [1, {\"a\": [null, true, 1.5e300]}]}}'", REPLICATED, null, null);
        value("float8[] with an Infinity element", "float8[]", "'{1.5,Infinity,NULL}'", FAILED, "Infinity", null);
        value("int[][] with NULL elements", "int[]", "'{{1,NULL},{NULL,4}}'", REPLICATED, null, null);
        value("float8[] with a NaN element", "float8[]", "'{1.5,NaN}'", FAILED, "NaN", null);
    }

    private void shapes() {
        String wide = IntStream.rangeClosed(2, 1600).mapToObj(i -> "c" + i + " int").collect(Collectors.joining(", "));
        add("shape", "table of 1,600 columns (PostgreSQL's and Redshift's limit)", "public.h_wide",
                List.of("CREATE TABLE h_wide (id int PRIMARY KEY, " + wide.substring(wide.indexOf(',') + 2) + ")",
                        "INSERT INTO h_wide (id, c3) VALUES (1, 3)"),
                List.of("INSERT INTO h_wide (id, c1600) VALUES (2, 1600)"), FAILED, "1600 columns", null);
        String name63 = "n" + "x".repeat(62);
        simple("shape", "identifier of 63 bytes (PostgreSQL's limit)", name63, "v", REPLICATED);
        String name200 = "t" + "y".repeat(199);
        add("shape", "identifier of 200 bytes (PostgreSQL keeps its first 63)", "public." + name200.substring(0, 63),
                List.of("CREATE TABLE " + Sql.id(name200) + " (id int PRIMARY KEY, v text)",
                        "INSERT INTO " + Sql.id(name200) + " VALUES (1, 'a')"),
                List.of("INSERT INTO " + Sql.id(name200) + " VALUES (2, 'b')"), REPLICATED, null, null);
        simple("shape", "identifier of 63 bytes of 2- and 3-byte characters", "é".repeat(18) + "表".repeat(9), "v",
                REPLICATED);
        simple("shape", "quotes in table and column names", "we\"ird'", "a\"b", REPLICATED);
        simple("shape", "spaces in table and column names", "order items", "unit price", REPLICATED);
        simple("shape", "unicode table and column names", "注文", "数量", REPLICATED);
        simple("shape", "Redshift reserved words as names", "select", "tag", REPLICATED);
        simple("shape", "tables whose names differ only in case (1)", "Mixed", "v", REPLICATED);
        simple("shape", "tables whose names differ only in case (2)", "mixed", "v", REPLICATED);
        simple("shape", "SQL-injection-shaped names", "x\"; DROP TABLE public.h_01; --", "1); DELETE FROM h_02; --",
                REPLICATED);
        add("shape", "hostile schema name", "we ird \"schema\".t",
                List.of("CREATE SCHEMA \"we ird \"\"schema\"\"\"",
                        "CREATE TABLE \"we ird \"\"schema\"\"\".t (id int PRIMARY KEY, v text)",
                        "INSERT INTO \"we ird \"\"schema\"\"\".t VALUES (1, 'a')"),
                List.of("INSERT INTO \"we ird \"\"schema\"\"\".t VALUES (2, 'b')"), REPLICATED, null, null);
    }

    private void ddl() {
        table("RENAME TABLE (to a name not selected)", "h_rename", List.of("ALTER TABLE h_rename RENAME TO h_gone"), FAILED,
                "renamed");
        table("DROP TABLE", "h_drop", List.of("DROP TABLE h_drop"), DROPPED, null);
        table("column type int → bigint", "h_type1", List.of("ALTER TABLE h_type1 ALTER COLUMN n TYPE bigint",
                "INSERT INTO h_type1 VALUES (3, 'c', 9000000000)"), REPLICATED, null);
        table("column type text → int (USING)", "h_type2", List.of("UPDATE h_type2 SET v = id::text",
                "ALTER TABLE h_type2 ALTER COLUMN v TYPE int USING v::int", "INSERT INTO h_type2 VALUES (3, 33, 3)"),
                REPLICATED, null);
        table("primary key changed to another column", "h_pk_change", List.of(
                "ALTER TABLE h_pk_change DROP CONSTRAINT h_pk_change_pkey", "ALTER TABLE h_pk_change ADD PRIMARY KEY (n)",
                "UPDATE h_pk_change SET v = 'moved' WHERE n = 2"), REPLICATED, null);
        table("primary key dropped (no replica identity left)", "h_pk_drop", List.of(
                "ALTER TABLE h_pk_drop DROP CONSTRAINT h_pk_drop_pkey", "INSERT INTO h_pk_drop VALUES (3, 'c', 3)"),
                FAILED, "key");
        add("ddl", "table without a primary key", "public.h_nopk",
                List.of("CREATE TABLE h_nopk (id int, v text)", "INSERT INTO h_nopk VALUES (1, 'a')"),
                List.of("INSERT INTO h_nopk VALUES (2, 'b')"), FAILED, "key", null);
        add("ddl", "primary key added to a table without one", "public.h_pk_add",
                List.of("CREATE TABLE h_pk_add (id int, v text)", "INSERT INTO h_pk_add VALUES (1, 'a')"),
                List.of("ALTER TABLE h_pk_add ADD PRIMARY KEY (id)", "INSERT INTO h_pk_add VALUES (2, 'b')"),
                FAILED, "key", null);
        add("ddl", "partitioned table", "public.h_parted",
                List.of("CREATE TABLE h_parted (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)",
                        "CREATE TABLE h_parted_1 PARTITION OF h_parted FOR VALUES FROM (0) TO (1000)",
                        "INSERT INTO h_parted VALUES (1, 'a')"),
                List.of("INSERT INTO h_parted VALUES (2, 'b')"), FAILED, "partition", null);
        add("ddl", "unlogged table", "public.h_unlogged",
                List.of("CREATE UNLOGGED TABLE h_unlogged (id int PRIMARY KEY, v text)",
                        "INSERT INTO h_unlogged VALUES (1, 'a')"),
                List.of("INSERT INTO h_unlogged VALUES (2, 'b')"), FAILED, "unlogged", null);
        table("table dropped and created again with the same name", "h_recreate", List.of("DROP TABLE h_recreate",
                "CREATE TABLE h_recreate (id int PRIMARY KEY, v text, n bigint)", "INSERT INTO h_recreate VALUES (7, 'new', 7)"),
                REPLICATED, null);
        table("ADD COLUMN with a default (existing rows get it without a WAL change)", "h_add_default",
                List.of("ALTER TABLE h_add_default ADD COLUMN d int DEFAULT 42", "INSERT INTO h_add_default VALUES (3, 'c', 3)"),
                REPLICATED, null);
    }

    private void transactions() {
        section = "transaction";
        table("empty transaction and one touching only unselected tables", "h_tx_empty", List.of("BEGIN; COMMIT",
                "CREATE TEMP TABLE scratch (x int); INSERT INTO scratch VALUES (1)", "INSERT INTO h_tx_empty VALUES (3, 'c', 3)"),
                REPLICATED, null);
        table("one transaction of 1 M rows (200,000 in the quick version)", "h_tx_big", List.of("INSERT INTO h_tx_big SELECT g, 'r' || g, g"
                + " FROM generate_series(10, " + (BIG_TRANSACTION + 9) + ") g"), REPLICATED, null);
        table("10,000 tiny transactions", "h_tx_tiny", List.of("DO $$ BEGIN FOR i IN 10.." + (TINY_TRANSACTIONS + 9)
                + " LOOP INSERT INTO h_tx_tiny VALUES (i, 't', i); COMMIT; END LOOP; END $$"), REPLICATED, null);
        table("a large streamed transaction rolled back", "h_tx_abort", List.of("DO $$ BEGIN INSERT INTO h_tx_abort SELECT g,"
                + " repeat('z', 200), g FROM generate_series(10, 50009) g; RAISE EXCEPTION 'rolled back'; END $$"),
                REPLICATED, null);
        table("savepoints rolled back", "h_tx_savepoint", List.of("BEGIN; INSERT INTO h_tx_savepoint VALUES (3, 'kept', 3);"
                + " SAVEPOINT s; INSERT INTO h_tx_savepoint VALUES (4, 'gone', 4); UPDATE h_tx_savepoint SET v = 'gone'"
                + " WHERE id = 1; ROLLBACK TO SAVEPOINT s; INSERT INTO h_tx_savepoint VALUES (5, 'kept', 5); COMMIT"),
                REPLICATED, null);
        table("TRUNCATE", "h_truncate", List.of("TRUNCATE h_truncate", "INSERT INTO h_truncate VALUES (9, 'after', 9)"),
                REPLICATED, null);
    }

    private void value(String description, String type, String literal, Outcome outcome, String reason, String policy) {
        String name = "h_v" + (cases.size() + 1);
        add("value", description, "public." + name,
                List.of("CREATE TABLE " + name + " (id int PRIMARY KEY, v " + type + ")", "INSERT INTO " + name + " VALUES (1, NULL)"),
                List.of("INSERT INTO " + name + " VALUES (2, " + literal + ")"), outcome, reason, policy);
    }

    private void simple(String kind, String description, String table, String column, Outcome outcome) {
        String t = Sql.id(table);
        add(kind, description, "public." + table,
                List.of("CREATE TABLE " + t + " (id int PRIMARY KEY, " + Sql.id(column) + " text)",
                        "INSERT INTO " + t + " VALUES (1, " + Sql.literal(table) + ")"),
                List.of("INSERT INTO " + t + " VALUES (2, " + Sql.literal(column) + ")",
                        "UPDATE " + t + " SET " + Sql.id(column) + " = 'updated' WHERE id = 1"), outcome, null, null);
    }

    /** A case on a table {@code (id int PRIMARY KEY, v text, n int)} with two rows, changed by {@code during}. */
    private void table(String description, String name, List<String> during, Outcome outcome, String reason) {
        add(section, description, "public." + name,
                List.of("CREATE TABLE " + name + " (id int PRIMARY KEY, v text, n int)",
                        "INSERT INTO " + name + " VALUES (1, 'a', 1), (2, 'b', 2)"), during, outcome, reason, null);
    }

    private void add(String kind, String description, String table, List<String> before, List<String> during,
                     Outcome outcome, String reason, String policy) {
        cases.add(new HostileCase(cases.size() + 1, kind, description, table, before, during, outcome, reason, policy));
    }
}

package io.zeroetl.reliability;

import static io.zeroetl.reliability.HostileCase.Outcome.DROPPED;
import static io.zeroetl.reliability.HostileCase.Outcome.FAILED;
import static io.zeroetl.reliability.HostileCase.Outcome.REPLICATED;

import java.util.List;

/** Hostile catalog cases: schema changes while streaming. */
final class HostileDdl {
    private HostileDdl() {}

    static void addTo(HostileCatalog c) {
        c.table(
                "RENAME TABLE (to a name not selected: as if dropped)",
                "h_rename",
                List.of("ALTER TABLE h_rename RENAME TO h_gone"),
                DROPPED,
                null);
        c.table("DROP TABLE", "h_drop", List.of("DROP TABLE h_drop"), DROPPED, null);
        c.table(
                "column type int → bigint",
                "h_type1",
                List.of(
                        "ALTER TABLE h_type1 ALTER COLUMN n TYPE bigint",
                        "INSERT INTO h_type1 VALUES (3, 'c', 9000000000)"),
                REPLICATED,
                null);
        c.table(
                "column type text → int (USING)",
                "h_type2",
                List.of(
                        "UPDATE h_type2 SET v = id::text",
                        "ALTER TABLE h_type2 ALTER COLUMN v TYPE int USING v::int",
                        "INSERT INTO h_type2 VALUES (3, 33, 3)"),
                REPLICATED,
                null);
        c.table(
                "primary key changed to another column",
                "h_pk_change",
                List.of(
                        "ALTER TABLE h_pk_change DROP CONSTRAINT h_pk_change_pkey",
                        "ALTER TABLE h_pk_change ADD PRIMARY KEY (n)",
                        "UPDATE h_pk_change SET v = 'moved' WHERE n = 2"),
                REPLICATED,
                null);
        c.table(
                "primary key dropped (no replica identity left)",
                "h_pk_drop",
                List.of(
                        "ALTER TABLE h_pk_drop DROP CONSTRAINT h_pk_drop_pkey",
                        "INSERT INTO h_pk_drop VALUES (3, 'c', 3)"),
                FAILED,
                "key");
        c.add(
                "ddl",
                "table without a primary key",
                "public.h_nopk",
                List.of("CREATE TABLE h_nopk (id int, v text)", "INSERT INTO h_nopk VALUES (1, 'a')"),
                List.of("INSERT INTO h_nopk VALUES (2, 'b')"),
                FAILED,
                "key",
                null);
        c.add(
                "ddl",
                "primary key added to a table without one",
                "public.h_pk_add",
                List.of("CREATE TABLE h_pk_add (id int, v text)", "INSERT INTO h_pk_add VALUES (1, 'a')"),
                List.of("ALTER TABLE h_pk_add ADD PRIMARY KEY (id)", "INSERT INTO h_pk_add VALUES (2, 'b')"),
                FAILED,
                "key",
                null);
        c.add(
                "ddl",
                "partitioned table (replicated as one; a partition with its columns in another order)",
                "public.h_parted",
                List.of(
                        "CREATE TABLE h_parted (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)",
                        "CREATE TABLE h_parted_1 PARTITION OF h_parted FOR VALUES FROM (0) TO (1000)",
                        "CREATE TABLE h_parted_2 (v text, id int NOT NULL)",
                        "ALTER TABLE h_parted ATTACH PARTITION h_parted_2 FOR VALUES FROM (1000) TO (2000)",
                        "INSERT INTO h_parted VALUES (1, 'a'), (1001, 'b')"),
                List.of(
                        "INSERT INTO h_parted VALUES (2, 'b'), (1002, 'c')",
                        "UPDATE h_parted SET id = id + 1500 WHERE id = 1",
                        "TRUNCATE h_parted_1",
                        "INSERT INTO h_parted VALUES (3, 'after the truncate')"),
                REPLICATED,
                null,
                null);
        c.add(
                "ddl",
                "partitioned table with an UNLOGGED partition",
                "public.h_parted_u",
                List.of(
                        "CREATE TABLE h_parted_u (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)",
                        "CREATE UNLOGGED TABLE h_parted_u_1 PARTITION OF h_parted_u FOR VALUES FROM (0) TO (1000)",
                        "INSERT INTO h_parted_u VALUES (1, 'a')"),
                List.of("INSERT INTO h_parted_u VALUES (2, 'b')"),
                FAILED,
                "unlogged",
                null);
        c.add(
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
        c.table(
                "table dropped and created again with the same name",
                "h_recreate",
                List.of(
                        "DROP TABLE h_recreate",
                        "CREATE TABLE h_recreate (id int PRIMARY KEY, v text, n bigint)",
                        "INSERT INTO h_recreate VALUES (7, 'new', 7)"),
                REPLICATED,
                null);
        c.table(
                "ADD COLUMN with a default (existing rows get it without a WAL change)",
                "h_add_default",
                List.of(
                        "ALTER TABLE h_add_default ADD COLUMN d int DEFAULT 42",
                        "INSERT INTO h_add_default VALUES (3, 'c', 3)"),
                REPLICATED,
                null);
        c.table(
                "column type changed USING an expression that changes the values (no row change in the WAL)",
                "h_using",
                List.of(
                        "ALTER TABLE h_using ALTER COLUMN n TYPE bigint USING n * 100",
                        "INSERT INTO h_using VALUES" + " (3, 'c', 3)"),
                REPLICATED,
                null);
        c.table(
                "column type int → text (SET DATA TYPE)",
                "h_to_text",
                List.of(
                        "ALTER TABLE h_to_text ALTER COLUMN n SET DATA TYPE text",
                        "INSERT INTO h_to_text VALUES" + " (3, 'c', 'three')"),
                REPLICATED,
                null);
        c.add(
                "ddl",
                "enum label renamed (every row holding it changes, none in the WAL)",
                "public.h_enum",
                List.of(
                        "CREATE TYPE h_mood AS ENUM ('sad', 'ok')",
                        "CREATE TABLE h_enum (id int PRIMARY KEY, m h_mood, ms h_mood[])",
                        "INSERT INTO h_enum VALUES (1, 'sad', '{sad,ok}'), (2, 'ok', NULL)"),
                List.of(
                        "ALTER TYPE h_mood RENAME VALUE 'sad' TO 'blue'",
                        "INSERT INTO h_enum VALUES (3, 'blue', NULL)"),
                REPLICATED,
                null,
                null);
        c.add(
                "ddl",
                "composite type's attribute added (every value's text changes)",
                "public.h_composite",
                List.of(
                        "CREATE TYPE h_pair AS (x int, y text)",
                        "CREATE TABLE h_composite (id int PRIMARY KEY, p h_pair)",
                        "INSERT INTO h_composite VALUES (1, ROW(1, 'a')), (2, NULL)"),
                List.of("ALTER TYPE h_pair ADD ATTRIBUTE z int", "INSERT INTO h_composite VALUES (3, ROW(3, 'c', 3))"),
                REPLICATED,
                null,
                null);
        c.table(
                "DDL inside a DO block (the statement cannot be read: copied again)",
                "h_in_do",
                List.of(
                        "DO $$ BEGIN ALTER TABLE h_in_do ALTER COLUMN n TYPE bigint USING n + 1; END $$",
                        "INSERT INTO h_in_do VALUES (3, 'c', 3)"),
                REPLICATED,
                null);
        c.table(
                "ADD COLUMN ... GENERATED ALWAYS AS IDENTITY (existing rows numbered)",
                "h_identity",
                List.of(
                        "ALTER TABLE h_identity ADD COLUMN seq int GENERATED ALWAYS AS IDENTITY",
                        "INSERT INTO h_identity (id, v, n) VALUES (3, 'c', 3)"),
                REPLICATED,
                null);
        c.table(
                "taken out of zeroetl's publication by a DBA, then written to",
                "h_unpublished",
                List.of(
                        "ALTER PUBLICATION zeroetl_reliability DROP TABLE h_unpublished",
                        "UPDATE h_unpublished SET v = 'while out' WHERE id = 1",
                        "DELETE FROM h_unpublished WHERE id = 2"),
                REPLICATED,
                null);
        c.add(
                "ddl",
                "keyless table dropped and created again with another column type",
                "public.h_keyless_again",
                List.of(
                        "CREATE TABLE h_keyless_again (a int, b float8)",
                        "ALTER TABLE h_keyless_again REPLICA IDENTITY FULL",
                        "INSERT INTO h_keyless_again VALUES (1, 1.5), (1, 1.5)"),
                List.of(
                        "DROP TABLE h_keyless_again",
                        "CREATE TABLE h_keyless_again (a int, b text)",
                        "ALTER TABLE h_keyless_again REPLICA IDENTITY FULL",
                        "INSERT INTO h_keyless_again VALUES (2, 'two'), (2, 'two')"),
                REPLICATED,
                null,
                null);
    }
}

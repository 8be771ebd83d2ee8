package io.zeroetl.reliability;

import static io.zeroetl.reliability.HostileCase.Outcome.FAILED;
import static io.zeroetl.reliability.HostileCase.Outcome.REPLICATED;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Hostile catalog cases: table shapes and names: keys, identities, many columns, hostile names. */
final class HostileShapes {
    private HostileShapes() {}

    static void addTo(HostileCatalog c) {
        String wide =
                IntStream.rangeClosed(2, 1600).mapToObj(i -> "c" + i + " int").collect(Collectors.joining(", "));
        c.add(
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
        c.simple("shape", "identifier of 63 bytes (PostgreSQL's limit)", name63, "v", REPLICATED);
        String name200 = "t" + "y".repeat(199);
        c.add(
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
        c.simple(
                "shape",
                "identifier of 63 bytes of 2- and 3-byte characters",
                "é".repeat(18) + "表".repeat(9),
                "v",
                REPLICATED);
        c.simple("shape", "quotes in table and column names", "we\"ird'", "a\"b", REPLICATED);
        c.simple("shape", "spaces in table and column names", "order items", "unit price", REPLICATED);
        c.simple("shape", "unicode table and column names", "注文", "数量", REPLICATED);
        c.simple("shape", "Redshift reserved words as names", "select", "tag", REPLICATED);
        c.simple("shape", "tables whose names differ only in case (1)", "Mixed", "v", REPLICATED);
        c.simple("shape", "tables whose names differ only in case (2)", "mixed", "v", REPLICATED);
        c.simple(
                "shape",
                "SQL-injection-shaped names",
                "x\"; DROP TABLE public.h_01; --",
                "1); DELETE FROM h_02; --",
                REPLICATED);
        c.add(
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
}

package io.zeroetl.reliability;

import static io.zeroetl.reliability.HostileCase.Outcome.CONVERTED;
import static io.zeroetl.reliability.HostileCase.Outcome.FAILED;
import static io.zeroetl.reliability.HostileCase.Outcome.REPLICATED;

/** Hostile catalog cases: values that break replication tools: NaN, infinities, out-of-range dates, oversized and invalid text, JSON edges. */
final class HostileValues {
    private HostileValues() {}

    static void addTo(HostileCatalog c) {
        c.value("real NaN", "real", "'NaN'", FAILED, "NaN", null);
        c.value(
                "double precision +Infinity, policy SET_NULL",
                "double precision",
                "'Infinity'",
                CONVERTED,
                null,
                "SET_NULL");
        c.value(
                "double precision -Infinity, policy TRUNCATE",
                "double precision",
                "'-Infinity'",
                CONVERTED,
                null,
                "TRUNCATE");
        c.value("numeric NaN (unbounded numeric: text)", "numeric", "'NaN'", REPLICATED, null, null);
        c.value(
                "numeric(38,0) at its 38-digit limit",
                "numeric(38,0)",
                "repeat('9', 38)::numeric",
                REPLICATED,
                null,
                null);
        c.value(
                "unbounded numeric of 60 digits",
                "numeric",
                "(repeat('7', 40) || '.' || repeat('3', 20))::numeric",
                REPLICATED,
                null,
                null);
        c.value(
                "numeric(50,10): precision beyond 38",
                "numeric(50,10)",
                "(repeat('1', 40) || '.5')::numeric",
                REPLICATED,
                null,
                null);
        c.value("70 KB string (over VARCHAR(65535))", "text", "repeat('x', 70000)", FAILED, "65535", null);
        c.value("70 KB string, policy TRUNCATE", "text", "repeat('y', 70000)", CONVERTED, null, "TRUNCATE");
        c.value("4-byte emoji", "text", "'🦀🚀 ok 𝄞'", REPLICATED, null, null);
        c.value(
                "varchar(10) full of 4-byte emoji (40 bytes)",
                "varchar(10)",
                "repeat('😀', 10)",
                REPLICATED,
                null,
                null);
        c.value("NUL bytes in bytea", "bytea", "'\\x00ff0000'::bytea", REPLICATED, null, null);
        c.value(
                "json with a surrogate-range escape",
                "json",
                "'{\"s\": \"\\ud83d\\ude00 \\ud800\"}'",
                FAILED,
                "surrogate",
                null);
        c.value("json with an escaped NUL", "json", "'{\"n\": \"a\\u0000b\"}'", FAILED, "Unicode escape", null);
        c.value("date beyond 9999", "date", "'12345-06-07'", REPLICATED, null, null);
        c.value("date BC", "date", "'0044-03-15 BC'", REPLICATED, null, null);
        c.value("timestamp infinity", "timestamp", "'infinity'", FAILED, "infinity", null);
        c.value("date -infinity, policy SET_NULL", "date", "'-infinity'", CONVERTED, null, "SET_NULL");
        c.value("timestamptz in year 200000", "timestamptz", "'200000-01-01 00:00:00+00'", REPLICATED, null, null);
        c.value("interval of 178 million years", "interval", "'178000000 years 3 days'", REPLICATED, null, null);
        c.value(
                "bytea of 2 MB (bound in hex pieces joined by ||, or a COPY row)",
                "bytea",
                "decode(repeat('ab', 2000000), 'hex')",
                REPLICATED,
                null,
                null);
        c.value(
                "bytea of 9 MB (its hex over a 16 MB statement, its CSV over a 4 MB COPY row)",
                "bytea",
                "decode(repeat('ab', 9000000), 'hex')",
                FAILED,
                "16 MB",
                null);
        c.value(
                "SQL-injection-shaped text with quotes, backslashes, newlines",
                "text",
                "E'x''); DROP TABLE public.orders; --\\\\ \\n\\t\"q\"'",
                REPLICATED,
                null,
                null);
        c.value(
                "jsonb with unicode keys, deep nesting",
                "jsonb",
                "'{\"ключ\": {\"キー\": [1, {\"a\": [null, true, 1.5e300]}]}}'",
                REPLICATED,
                null,
                null);
        c.value("float8[] with an Infinity element", "float8[]", "'{1.5,Infinity,NULL}'", FAILED, "Infinity", null);
        c.value("int[][] with NULL elements", "int[]", "'{{1,NULL},{NULL,4}}'", REPLICATED, null, null);
        c.value("float8[] with a NaN element", "float8[]", "'{1.5,NaN}'", FAILED, "NaN", null);
    }
}

package io.zeroetl.reliability;

import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * A column type the schema generator uses: its SQL, and random literals of it (NULL included, edge values,
 * Unicode, quotes) that Redshift can hold, so that every generated table is expected to replicate exactly
 * unless its shape says otherwise.
 *
 * @param sql the column type as the source declares it
 * @param literal a random SQL literal of the type
 * @param keyable whether a primary key may use it
 * @param large whether its values are TOASTed (stored out of line, unchanged values not resent)
 */
record GenType(String sql, Function<Random, String> literal, boolean keyable, boolean large) {
    private static final String[] WORDS = {
        "a",
        "b b",
        "it's",
        "\"q\"",
        "back\\slash",
        "é",
        "表",
        "🦀",
        "",
        " ",
        "zeroetl_state",
        "NULL",
        "line\nbreak",
        "tab\tx"
    };

    /** Types for the source's own enum and domains, created once per database. */
    static final List<String> SETUP = List.of(
            "DO $$ BEGIN CREATE TYPE gen_mood AS ENUM ('happy', 'sad', 'it''s'); EXCEPTION WHEN duplicate_object THEN"
                    + " NULL; END $$",
            "DO $$ BEGIN CREATE DOMAIN gen_amount AS numeric(10,2); EXCEPTION WHEN duplicate_object THEN NULL; END $$",
            "DO $$ BEGIN CREATE DOMAIN gen_code AS varchar(10); EXCEPTION WHEN duplicate_object THEN NULL; END $$");

    static final List<GenType> ALL = List.of(
            new GenType("int", r -> Integer.toString(r.nextInt()), true, false),
            new GenType("bigint", r -> Long.toString(r.nextLong()), true, false),
            new GenType("smallint", r -> Integer.toString(r.nextInt(65536) - 32768), true, false),
            new GenType(
                    "numeric(12,3)",
                    r -> (r.nextInt(2_000_000_000) - 1_000_000_000) + "." + r.nextInt(1000),
                    true,
                    false),
            new GenType(
                    "numeric",
                    r -> r.nextBoolean() ? "'NaN'" : r.nextLong() + "." + Math.abs(r.nextLong()),
                    false,
                    false),
            new GenType("numeric(5,-2)", r -> Integer.toString(r.nextInt(9_999_999)), false, false),
            new GenType("numeric(3,5)", r -> "0.00" + r.nextInt(1000), false, false),
            new GenType(
                    "float8",
                    r -> Double.toString((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20)),
                    false,
                    false),
            new GenType("real", r -> Float.toString((float) r.nextGaussian()), false, false),
            new GenType("boolean", r -> r.nextBoolean() ? "true" : "false", false, false),
            new GenType("text", r -> text(r, 40), true, false),
            new GenType("varchar(10)", r -> quote(word(r).repeat(1 + r.nextInt(2)), 10), true, false),
            new GenType("char(5)", r -> quote(word(r), 5), false, false),
            new GenType("bytea", r -> "'\\x" + hex(r, r.nextInt(20)) + "'::bytea", false, false),
            new GenType(
                    "date",
                    r -> {
                        boolean bc = r.nextInt(10) == 0;
                        return String.format(
                                "'%04d-0%d-1%d%s'",
                                1 + r.nextInt(bc ? 4700 : 9998), 1 + r.nextInt(9), r.nextInt(9), bc ? " BC" : "");
                    },
                    true,
                    false),
            new GenType(
                    "timestamp",
                    r -> "'" + (1900 + r.nextInt(200)) + "-12-31 23:59:" + (10 + r.nextInt(49)) + "."
                            + r.nextInt(1_000_000) + "'",
                    true,
                    false),
            new GenType(
                    "timestamptz",
                    r -> "'2024-06-0" + (1 + r.nextInt(9)) + " 12:00:00+0" + r.nextInt(10) + "'",
                    false,
                    false),
            new GenType("time", r -> "'" + r.nextInt(24) + ":" + (10 + r.nextInt(49)) + ":00.5'", false, false),
            new GenType(
                    "interval",
                    r -> "'" + r.nextInt(100) + " years " + r.nextInt(40) + " days " + r.nextInt(24) + ":00:01'",
                    false,
                    false),
            new GenType("uuid", r -> "'" + new UUID(r.nextLong(), r.nextLong()) + "'", true, false),
            new GenType(
                    "json",
                    r -> "'{\"k\": " + r.nextInt(100) + ", \"s\": " + jsonString(r) + ", \"k\": 2}'",
                    false,
                    false),
            new GenType(
                    "jsonb",
                    r -> "'{\"a\": [1, " + jsonString(r) + ", null], \"n\": {\"x\": " + r.nextBoolean() + "}}'",
                    false,
                    false),
            new GenType("int[]", r -> "'{" + r.nextInt(10) + ",NULL," + r.nextInt() + "}'", false, false),
            new GenType("text[]", r -> "ARRAY[" + text(r, 10) + ", NULL, " + text(r, 10) + "]", false, false),
            new GenType("jsonb[]", r -> "ARRAY['{\"a\": " + r.nextInt(9) + "}', 'null', '[1]']::jsonb[]", false, false),
            new GenType(
                    "inet",
                    r -> "'10." + r.nextInt(256) + ".0." + r.nextInt(256) + (r.nextBoolean() ? "/24" : "") + "'",
                    false,
                    false),
            new GenType("gen_mood", r -> List.of("'happy'", "'sad'", "'it''s'").get(r.nextInt(3)), false, false),
            new GenType("gen_amount", r -> r.nextInt(99_999_999) + "." + r.nextInt(100), true, false),
            new GenType("gen_code", r -> quote(word(r), 10), false, false),
            new GenType("text", r -> "repeat(md5((" + r.nextInt() + ")::text), 300)", false, true));

    private static String word(Random r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static String text(Random r, int max) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(word(r));
        }
        String s = sb.toString();
        return quote(s.length() > max ? s.substring(0, max) : s, Integer.MAX_VALUE);
    }

    /** A literal of {@code s} cut to {@code max} code points; E'' so that backslashes and controls are kept. */
    private static String quote(String s, int max) {
        int end = s.codePointCount(0, s.length()) <= max ? s.length() : s.offsetByCodePoints(0, max);
        String cut = s.substring(0, end);
        return "E'"
                + cut.replace("\\", "\\\\")
                        .replace("'", "''")
                        .replace("\n", "\\n")
                        .replace("\t", "\\t") + "'";
    }

    private static String jsonString(Random r) {
        String w = word(r).replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("\n", "\\n")
                .replace("\t", "\\t")
                .replace("'", "''");
        return "\"" + w + "\"";
    }

    private static String hex(Random r, int bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes; i++) {
            sb.append(String.format("%02x", r.nextInt(256)));
        }
        return sb.toString();
    }
}

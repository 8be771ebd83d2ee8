package io.zeroetl.redshift.internal;

import java.util.List;
import java.util.stream.Collectors;

/** Quoting for the SQL the applier writes: every identifier quoted with quotes doubled. */
final class Sql {
    private Sql() {}

    static String id(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String qualified(String schema, String table) {
        return id(schema) + "." + id(table);
    }

    static String list(List<String> names) {
        return names.stream().map(Sql::id).collect(Collectors.joining(", "));
    }

    /** {@code a.k1 = b.k1 AND a.k2 = b.k2} over {@code keys}. */
    static String keysEqual(String a, String b, List<String> keys) {
        return keys.stream().map(k -> a + "." + id(k) + " = " + b + "." + id(k)).collect(Collectors.joining(" AND "));
    }
}

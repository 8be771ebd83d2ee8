package io.zeroetl.reliability;

/** Quoting for the suite's own SQL against the source: identifiers and literals, whatever they hold. */
final class Sql {
    private Sql() {}

    static String id(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}

package io.zeroetl.redshift.internal;

/**
 * How a column's existing values become values of its new type when the source changes the type. Text
 * becomes SUPER by parsing (CAST would store a SUPER string, not the document: ingest-super), SUPER becomes
 * text by serializing (JSON_SERIALIZE), anything else by CAST (r_CAST_function).
 */
final class Conversions {
    private Conversions() {}

    /** An expression converting {@code expression} of type {@code from} to type {@code to}. */
    static String convert(String expression, String from, String to) {
        if (from.equals(to)) {
            return expression;
        }
        if (to.equals("SUPER") && from.startsWith("VARCHAR")) {
            return "JSON_PARSE(" + expression + ")";
        }
        if (from.equals("SUPER") && to.startsWith("VARCHAR")) {
            return "JSON_SERIALIZE(" + expression + ")";
        }
        return "CAST(" + expression + " AS " + to + ")";
    }
}

package io.zeroetl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table's name in the source: schema and table, case preserved.
 *
 * <p>{@link #parse(String)} reads {@code schema.table}, where either part may be double-quoted to
 * hold dots, quotes ({@code ""}) or upper-case letters; unquoted parts are taken as written.
 *
 * <pre>{@code
 * TableId orders = TableId.parse("public.orders");
 * TableId odd = TableId.parse("\"Sales.EU\".\"Order \"\"Lines\"\"\"");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param schema the schema name, never empty
 * @param table the table name, never empty
 */
public record TableId(String schema, String table) implements Comparable<TableId> {
    /**
     * Checks both parts.
     *
     * @param schema the schema name, never empty
     * @param table the table name, never empty
     */
    public TableId {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        if (schema.isEmpty() || table.isEmpty()) {
            throw new IllegalArgumentException(
                    "a table name needs a non-empty schema and table: '" + schema + "'.'" + table + "'");
        }
    }

    // written out: a record's generated equals and hashCode go through method handles, and every row looks its
    // table up by these
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof TableId t && schema.equals(t.schema) && table.equals(t.table);
    }

    @Override
    public int hashCode() {
        return 31 * schema.hashCode() + table.hashCode();
    }

    /**
     * {@return the table {@code table} in {@code schema}}
     *
     * @param schema the schema's name, as stored (not quoted)
     * @param table the table's name, as stored (not quoted)
     */
    public static TableId of(String schema, String table) {
        return new TableId(schema, table);
    }

    /**
     * Parses {@code schema.table}.
     *
     * @param text {@code schema.table}, parts quoted with double quotes where they hold dots, capitals or quotes
     * @return the table id
     * @throws IllegalArgumentException naming the text when it has no schema, more than two parts, or
     *     unbalanced quotes
     */
    public static TableId parse(String text) {
        Objects.requireNonNull(text, "table name");
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"' && current.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(current.toString());
                current.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted) {
                throw new IllegalArgumentException("bad table name '" + text + "': text after a closing quote");
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("bad table name '" + text + "': unbalanced double quote");
        }
        parts.add(current.toString());
        if (parts.size() != 2 || parts.get(0).isEmpty() || parts.get(1).isEmpty()) {
            throw new IllegalArgumentException("bad table name '" + text + "': write it as schema.table, e.g."
                    + " public.orders (double-quote parts that contain dots)");
        }
        return new TableId(parts.get(0), parts.get(1));
    }

    /**
     * Both parts double-quoted with quotes doubled: safe to read back with {@link #parse(String)}.
     *
     * @return {@code "schema"."table"}
     */
    public String quoted() {
        return quote(schema) + "." + quote(table);
    }

    private static String quote(String part) {
        return "\"" + part.replace("\"", "\"\"") + "\"";
    }

    @Override
    public int compareTo(TableId other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : table.compareTo(other.table);
    }

    /** {@code schema.table}, quoting only parts that need it. */
    @Override
    public String toString() {
        return plain(schema) + "." + plain(table);
    }

    private static String plain(String part) {
        return part.matches("[a-z_][a-z0-9_$]*") ? part : quote(part);
    }
}

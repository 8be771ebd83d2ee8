package io.zeroetl.testing.internal.redshift;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * CREATE TABLE and ALTER TABLE in Redshift's dialect, rebuilt as PostgreSQL: compression attributes are
 * accepted and dropped; primary, distribution and sort keys are not enforced but kept as marker constraints,
 * so that the rules about them can be checked (DROP COLUMN); types are mapped by {@link RedshiftTypes};
 * ALTER TABLE keeps Redshift's limits.
 */
final class TableDdl {
    /** PostgreSQL's system column names, which Redshift does not allow as user column names. */
    private static final Set<String> SYSTEM_COLUMNS = Set.of("oid", "tableoid", "xmin", "cmin", "xmax", "cmax", "ctid");

    private TableDdl() {}

    /** CREATE [TEMP] TABLE ...; {@code sig} starts at CREATE. */
    static String create(List<Token> sig) {
        int i = 1;
        boolean temp = false;
        StringBuilder out = new StringBuilder("CREATE ");
        while (Sig.is(sig, i, "LOCAL") || Sig.is(sig, i, "TEMP") || Sig.is(sig, i, "TEMPORARY")) {
            temp |= !sig.get(i).is("LOCAL");
            i++;
        }
        i++; // TABLE
        String ifNotExists = "";
        if (Sig.is(sig, i, "IF") && Sig.is(sig, i + 1, "NOT") && Sig.is(sig, i + 2, "EXISTS")) {
            ifNotExists = "IF NOT EXISTS ";
            i += 3;
        }
        int nameStart = i;
        i++;
        while (Sig.isSymbol(sig, i, ".")) {
            i += 2;
        }
        String name = Sig.join(sig.subList(nameStart, i));
        temp |= sig.get(nameStart).name().startsWith("#");
        out.append(temp ? "TEMP " : "").append("TABLE ").append(ifNotExists).append(name);
        Keys keys = new Keys();
        List<String> elements = new ArrayList<>();
        if (Sig.isSymbol(sig, i, "(")) {
            int close = Sig.afterClosing(sig, i);
            for (List<Token> element : Sig.splitTopLevel(sig, i + 1, close - 1)) {
                String translated = element(element, keys);
                if (translated != null) {
                    elements.add(translated);
                }
            }
            i = close;
        }
        i = tableAttributes(sig, i, keys);
        elements.addAll(keys.markers());
        if (!elements.isEmpty()) {
            out.append(" (").append(String.join(", ", elements)).append(")");
        }
        if (Sig.is(sig, i, "AS")) {
            out.append(' ').append(Sig.join(sig.subList(i, sig.size())));
        } else if (i < sig.size()) {
            throw Rejected.syntax(sig.get(i).text, "unexpected text after the column list");
        }
        return out.toString();
    }

    /** A table a CREATE statement makes: schema (null when not given), name, whether temporary, and columns. */
    record Created(String schema, String name, boolean temp, List<CopyLoads.Column> columns) {}

    /**
     * The table a CREATE TABLE statement with a column list makes, with its columns' Redshift types, or null.
     * {@code sig} starts at CREATE.
     */
    static Created created(List<Token> sig) {
        int i = 1;
        boolean temp = false;
        while (Sig.is(sig, i, "LOCAL") || Sig.is(sig, i, "TEMP") || Sig.is(sig, i, "TEMPORARY")) {
            temp |= !sig.get(i).is("LOCAL");
            i++;
        }
        if (!Sig.is(sig, i, "TABLE")) {
            return null;
        }
        i++;
        if (Sig.is(sig, i, "IF") && Sig.is(sig, i + 1, "NOT") && Sig.is(sig, i + 2, "EXISTS")) {
            i += 3;
        }
        if (i >= sig.size()) {
            return null;
        }
        String schema = null;
        String name = sig.get(i).name();
        if (Sig.isSymbol(sig, i + 1, ".") && i + 2 < sig.size()) {
            schema = name;
            name = sig.get(i + 2).name();
            i += 2;
        }
        temp |= name.startsWith("#");
        if (!Sig.isSymbol(sig, i + 1, "(")) {
            return null;
        }
        int close = Sig.afterClosing(sig, i + 1);
        List<CopyLoads.Column> columns = new ArrayList<>();
        for (List<Token> e : Sig.splitTopLevel(sig, i + 2, close - 1)) {
            if (e.isEmpty()
                    || e.get(0).is("CONSTRAINT")
                    || e.get(0).is("PRIMARY")
                    || e.get(0).is("UNIQUE")
                    || e.get(0).is("FOREIGN")
                    || e.get(0).is("LIKE")) {
                continue;
            }
            Sig.TypeRef type = Sig.type(e, 1);
            columns.add(new CopyLoads.Column(e.get(0).name(), RedshiftTypes.redshiftType(type.name(), type.args())));
        }
        return new Created(schema, name, temp, columns);
    }

    /** Skips Redshift's table attributes, checking their form and noting the distribution and sort keys. */
    private static int tableAttributes(List<Token> sig, int i, Keys keys) {
        while (i < sig.size()) {
            Token t = sig.get(i);
            if (t.is("DISTSTYLE")) {
                String style = i + 1 < sig.size() ? sig.get(i + 1).upper() : "";
                if (!List.of("AUTO", "EVEN", "KEY", "ALL").contains(style)) {
                    throw Rejected.syntax(style, "DISTSTYLE takes AUTO, EVEN, KEY or ALL");
                }
                i += 2;
            } else if (t.is("DISTKEY")) {
                keys.dist.addAll(names(sig, i + 1));
                i = columnList(sig, i + 1, "DISTKEY");
            } else if (t.is("COMPOUND") || t.is("INTERLEAVED")) {
                if (!Sig.is(sig, i + 1, "SORTKEY")) {
                    throw Rejected.syntax(t.text, t.upper() + " must be followed by SORTKEY");
                }
                keys.sort.addAll(names(sig, i + 2));
                i = columnList(sig, i + 2, "SORTKEY");
            } else if (t.is("SORTKEY")) {
                if (!Sig.is(sig, i + 1, "AUTO")) {
                    keys.sort.addAll(names(sig, i + 1));
                }
                i = Sig.is(sig, i + 1, "AUTO") ? i + 2 : columnList(sig, i + 1, "SORTKEY");
            } else if (t.is("ENCODE") && Sig.is(sig, i + 1, "AUTO")) {
                i += 2;
            } else if (t.is("BACKUP")) {
                if (!Sig.is(sig, i + 1, "YES") && !Sig.is(sig, i + 1, "NO")) {
                    throw Rejected.syntax(t.text, "BACKUP takes YES or NO");
                }
                i += 2;
            } else {
                return i;
            }
        }
        return i;
    }

    private static int columnList(List<Token> sig, int open, String attribute) {
        if (!Sig.isSymbol(sig, open, "(")) {
            throw Rejected.syntax(
                    open < sig.size() ? sig.get(open).text : "end of input",
                    attribute + " needs a column list in parentheses");
        }
        return Sig.afterClosing(sig, open);
    }

    /**
     * One element of the column list, or null when it is dropped (an unenforced key, noted in {@code keys}).
     * CHECK constraints are not in Redshift's CREATE TABLE grammar (r_CREATE_TABLE_NEW).
     */
    private static String element(List<Token> e, Keys keys) {
        if (e.isEmpty()) {
            throw Rejected.syntax(")", "empty column definition");
        }
        Token first = e.get(0);
        int i = 0;
        if (first.is("CONSTRAINT")) {
            i = 2;
        }
        if (Sig.is(e, i, "PRIMARY")) {
            keys.primary.addAll(names(e, i + 2));
            return null;
        }
        if (Sig.is(e, i, "UNIQUE") || Sig.is(e, i, "FOREIGN")) {
            return null;
        }
        if (Sig.is(e, i, "CHECK")) {
            throw Rejected.syntax("CHECK", "Redshift has no CHECK constraints");
        }
        if (first.is("LIKE")) {
            return Sig.join(e);
        }
        return column(e, keys);
    }

    /** The column names of a parenthesized list starting at {@code open}. */
    private static List<String> names(List<Token> sig, int open) {
        List<String> names = new ArrayList<>();
        if (!Sig.isSymbol(sig, open, "(")) {
            return names;
        }
        int close = Sig.afterClosing(sig, open);
        for (List<Token> part : Sig.splitTopLevel(sig, open + 1, close - 1)) {
            if (!part.isEmpty()) {
                names.add(part.get(0).name());
            }
        }
        return names;
    }

    /** Rejects PostgreSQL's system column names as user column names (c_unsupported-postgresql-features). */
    static void checkColumnName(Token name) {
        if (SYSTEM_COLUMNS.contains(name.name().toLowerCase(Locale.ROOT))) {
            throw new Rejected("42701", "column name \"" + name.name() + "\" conflicts with a system column name");
        }
    }

    /** A column definition: name, type, constraints (Redshift-only ones dropped, keys noted in {@code keys}). */
    static String column(List<Token> e, Keys keys) {
        Token name = e.get(0);
        checkColumnName(name);
        Sig.TypeRef type = Sig.type(e, 1);
        RedshiftTypes.Mapped mapped = RedshiftTypes.column(type.name(), type.args(), type.array());
        StringBuilder out = new StringBuilder(name.text).append(' ').append(mapped.type());
        List<Token> kept = new ArrayList<>();
        int i = type.end();
        while (i < e.size()) {
            Token t = e.get(i);
            if (t.is("ENCODE")) {
                i += 2;
            } else if (t.is("DISTKEY") || t.is("SORTKEY")) {
                (t.is("DISTKEY") ? keys.dist : keys.sort).add(name.name());
                i++;
            } else if (t.is("CHECK")) {
                throw Rejected.syntax("CHECK", "Redshift has no CHECK constraints");
            } else if (t.is("PRIMARY") && Sig.is(e, i + 1, "KEY") || t.is("UNIQUE")) {
                if (t.is("PRIMARY")) {
                    keys.primary.add(name.name());
                }
                i += t.is("UNIQUE") ? 1 : 2;
            } else if (t.is("REFERENCES")) {
                i += 2;
                while (Sig.isSymbol(e, i, ".")) {
                    i += 2;
                }
                if (Sig.isSymbol(e, i, "(")) {
                    i = Sig.afterClosing(e, i);
                }
            } else if (t.is("COLLATE")) {
                i += 2;
            } else if (t.is("IDENTITY")) {
                int end = Sig.afterClosing(e, i + 1);
                List<List<Token>> args = Sig.splitTopLevel(e, i + 2, end - 1);
                kept.addAll(SqlLexer.lex("GENERATED BY DEFAULT AS IDENTITY (START WITH " + Sig.join(args.get(0))
                        + " INCREMENT BY " + Sig.join(args.get(1)) + ")"));
                i = end;
            } else if (t.is("CONSTRAINT")
                    && i + 2 < e.size()
                    && (e.get(i + 2).is("PRIMARY")
                            || e.get(i + 2).is("UNIQUE")
                            || e.get(i + 2).is("REFERENCES"))) {
                i += 2;
            } else {
                kept.add(t);
                i++;
            }
        }
        if (!kept.isEmpty()) {
            out.append(' ').append(Sig.join(Sig.of(kept)));
        }
        if (mapped.check() != null) {
            out.append(" CONSTRAINT ")
                    .append(limitName())
                    .append(" CHECK (")
                    .append(String.format(Locale.ROOT, mapped.check(), name.text))
                    .append(')');
        }
        return out.toString();
    }

    /**
     * A fresh name for the constraint that enforces a column's Redshift limit: unique whatever the column's
     * name (two 63-byte names differing in their last byte must not collide), and found by the column it
     * constrains, never by its name.
     */
    static String limitName() {
        return "zeroetl_len_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** The keys a CREATE TABLE declares, kept as constraints that PostgreSQL carries through renames. */
    static final class Keys {
        final Set<String> primary = new LinkedHashSet<>();
        final Set<String> dist = new LinkedHashSet<>();
        final Set<String> sort = new LinkedHashSet<>();

        /**
         * Always-true CHECK constraints naming the key columns: PostgreSQL keeps them on the columns (through
         * renames) and never enforces anything, so the emulator can tell which columns Redshift would protect.
         */
        List<String> markers() {
            List<String> out = new ArrayList<>();
            marker(out, "zeroetl_pkey", primary);
            marker(out, "zeroetl_distkey", dist);
            marker(out, "zeroetl_sortkey", sort);
            return out;
        }

        private static void marker(List<String> out, String name, Set<String> columns) {
            if (!columns.isEmpty()) {
                String row = columns.stream().map(c -> Token.quoted(c).text).collect(Collectors.joining(", "));
                out.add("CONSTRAINT " + name + " CHECK (ROW(" + row + ") IS NULL OR true)");
            }
        }
    }
}

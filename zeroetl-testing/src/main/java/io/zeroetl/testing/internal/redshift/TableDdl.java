package io.zeroetl.testing.internal.redshift;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CREATE TABLE and ALTER TABLE in Redshift's dialect, rebuilt as PostgreSQL: distribution, sort and
 * compression attributes are accepted and dropped; keys are declared but not enforced (dropped);
 * types are mapped by {@link RedshiftTypes}; ALTER TABLE keeps Redshift's limits.
 */
final class TableDdl {
    private TableDdl() {
    }

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
        if (Sig.isSymbol(sig, i, "(")) {
            int close = Sig.afterClosing(sig, i);
            List<String> elements = new ArrayList<>();
            for (List<Token> element : Sig.splitTopLevel(sig, i + 1, close - 1)) {
                String translated = element(element);
                if (translated != null) {
                    elements.add(translated);
                }
            }
            out.append(" (").append(String.join(", ", elements)).append(")");
            i = close;
        }
        i = tableAttributes(sig, i);
        if (Sig.is(sig, i, "AS")) {
            out.append(' ').append(Sig.join(sig.subList(i, sig.size())));
        } else if (i < sig.size()) {
            throw Rejected.syntax(sig.get(i).text, "unexpected text after the column list");
        }
        return out.toString();
    }

    /** Skips Redshift's table attributes, checking their form. */
    private static int tableAttributes(List<Token> sig, int i) {
        while (i < sig.size()) {
            Token t = sig.get(i);
            if (t.is("DISTSTYLE")) {
                String style = i + 1 < sig.size() ? sig.get(i + 1).upper() : "";
                if (!List.of("AUTO", "EVEN", "KEY", "ALL").contains(style)) {
                    throw Rejected.syntax(style, "DISTSTYLE takes AUTO, EVEN, KEY or ALL");
                }
                i += 2;
            } else if (t.is("DISTKEY")) {
                i = columnList(sig, i + 1, "DISTKEY");
            } else if (t.is("COMPOUND") || t.is("INTERLEAVED")) {
                if (!Sig.is(sig, i + 1, "SORTKEY")) {
                    throw Rejected.syntax(t.text, t.upper() + " must be followed by SORTKEY");
                }
                i = columnList(sig, i + 2, "SORTKEY");
            } else if (t.is("SORTKEY")) {
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
            throw Rejected.syntax(open < sig.size() ? sig.get(open).text : "end of input",
                    attribute + " needs a column list in parentheses");
        }
        return Sig.afterClosing(sig, open);
    }

    /** One element of the column list, or null when it is dropped (an unenforced key). */
    private static String element(List<Token> e) {
        if (e.isEmpty()) {
            throw Rejected.syntax(")", "empty column definition");
        }
        Token first = e.get(0);
        int i = 0;
        if (first.is("CONSTRAINT")) {
            i = 2;
        }
        if (Sig.is(e, i, "PRIMARY") || Sig.is(e, i, "UNIQUE") || Sig.is(e, i, "FOREIGN")) {
            return null;
        }
        if (Sig.is(e, i, "CHECK") || first.is("LIKE")) {
            return Sig.join(e);
        }
        return column(e);
    }

    /** A column definition: name, type, constraints (Redshift-only ones dropped). */
    static String column(List<Token> e) {
        Token name = e.get(0);
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
                i++;
            } else if (t.is("PRIMARY") && Sig.is(e, i + 1, "KEY") || t.is("UNIQUE")) {
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
            } else if (t.is("CONSTRAINT") && i + 2 < e.size() && (e.get(i + 2).is("PRIMARY") || e.get(i + 2).is("UNIQUE")
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
            out.append(" CONSTRAINT ").append(Token.quoted("zeroetl_len_" + name.name()).text).append(" CHECK (")
                    .append(String.format(Locale.ROOT, mapped.check(), name.text)).append(')');
        }
        return out.toString();
    }

    /** ALTER TABLE ...; {@code sig} starts at ALTER. */
    static String alter(List<Token> sig, boolean inTransactionBlock) {
        int i = 2;
        if (Sig.is(sig, i, "IF") && Sig.is(sig, i + 1, "EXISTS")) {
            i += 2;
        }
        int nameStart = i;
        i++;
        while (Sig.isSymbol(sig, i, ".")) {
            i += 2;
        }
        String table = Sig.join(sig.subList(nameStart, i));
        if (Sig.is(sig, i, "APPEND")) {
            throw Rejected.unsupported("ALTER TABLE APPEND is not modeled by the Redshift emulator");
        }
        List<List<Token>> actions = Sig.splitTopLevel(sig, i, sig.size());
        if (actions.size() > 1) {
            boolean adds = actions.stream().filter(a -> !a.isEmpty() && a.get(0).is("ADD")).count() > 1;
            throw Rejected.unsupported(adds ? "ALTER TABLE ADD COLUMN takes one column per statement in Redshift"
                    : "ALTER TABLE takes one action per statement in Redshift");
        }
        List<Token> action = actions.isEmpty() ? List.of() : actions.get(0);
        String prefix = "ALTER TABLE " + table + " ";
        if (Sig.is(action, 0, "ADD") && !Sig.is(action, 1, "CONSTRAINT") && !Sig.is(action, 1, "PRIMARY")
                && !Sig.is(action, 1, "UNIQUE") && !Sig.is(action, 1, "FOREIGN") && !Sig.is(action, 1, "CHECK")) {
            return prefix + addColumn(action);
        }
        if (Sig.is(action, 0, "ADD")) {
            int k = Sig.is(action, 1, "CONSTRAINT") ? 3 : 1;
            if (Sig.is(action, k, "CHECK")) {
                return prefix + Sig.join(action);
            }
            return "SELECT 'ALTER TABLE ADD CONSTRAINT: declared, not enforced' AS zeroetl_emulator_note";
        }
        if (Sig.is(action, 0, "ALTER")) {
            int c = Sig.is(action, 1, "COLUMN") ? 2 : 1;
            Token column = action.get(c);
            if (Sig.is(action, c + 1, "SET") || Sig.is(action, c + 1, "DROP")) {
                throw Rejected.syntax(action.get(c + 1).text, "Redshift cannot ALTER COLUMN ... "
                        + Sig.upper(action, c + 1, Sig.is(action, c + 2, "NOT") ? c + 4 : c + 3)
                        + "; rebuild the table instead");
            }
            if (Sig.is(action, c + 1, "TYPE") || Sig.is(action, c + 1, "SET") && Sig.is(action, c + 2, "DATA")) {
                int t = Sig.is(action, c + 1, "TYPE") ? c + 2 : c + 4;
                return alterColumnType(prefix, column, Sig.type(action, t), inTransactionBlock);
            }
        }
        return prefix + Sig.join(action);
    }

    private static String addColumn(List<Token> action) {
        int c = Sig.is(action, 1, "COLUMN") ? 2 : 1;
        if (Sig.is(action, c, "IF")) {
            throw Rejected.syntax("IF", "Redshift has no ADD COLUMN IF NOT EXISTS");
        }
        List<Token> definition = action.subList(c, action.size());
        String upper = Sig.upper(definition, 0, definition.size());
        if (upper.contains("NOT NULL") && !upper.contains("DEFAULT")) {
            throw Rejected.unsupported("ALTER TABLE ADD COLUMN defined as NOT NULL must have a non-null default"
                    + " expression");
        }
        if (upper.contains("PRIMARY KEY") || upper.contains("UNIQUE") || upper.contains("DISTKEY")
                || upper.contains("SORTKEY") || upper.contains("IDENTITY")) {
            throw Rejected.unsupported("ALTER TABLE ADD COLUMN cannot add a key, distkey, sortkey or identity column");
        }
        return "ADD COLUMN " + column(definition);
    }

    private static String alterColumnType(String prefix, Token column, Sig.TypeRef type, boolean inTransactionBlock) {
        if (!List.of("VARCHAR", "CHARACTER VARYING", "NVARCHAR").contains(type.name())) {
            throw Rejected.unsupported("target data type " + type.name().toLowerCase(Locale.ROOT) + " is not supported:"
                    + " Redshift's ALTER COLUMN TYPE only changes the length of a VARCHAR column");
        }
        if (inTransactionBlock) {
            throw new Rejected(Rejected.INTERNAL, "ALTER TABLE ALTER COLUMN cannot run inside a transaction block");
        }
        RedshiftTypes.Mapped mapped = RedshiftTypes.column(type.name(), type.args(), false);
        String constraint = Token.quoted("zeroetl_len_" + column.name()).text;
        String check = String.format(Locale.ROOT, mapped.check(), column.text);
        return prefix + "DROP CONSTRAINT IF EXISTS " + constraint + ", ALTER COLUMN " + column.text
                + " TYPE varchar, ADD CONSTRAINT " + constraint + " CHECK (" + check + ")";
    }
}

package io.zeroetl.postgres.internal.ddl;

import io.zeroetl.postgres.internal.ddl.CapturedDdl.CapturedColumn;
import io.zeroetl.postgres.internal.ddl.DdlStatement.Token;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a captured DDL command does to a table's stored values, and so whether the target can follow it in
 * place or must copy the table again. The one table of every command and {@code ALTER TABLE} / {@code ALTER
 * TYPE} action zeroetl knows ({@link #RULES}, shown in the README), read against what the trigger saw in the
 * catalog. Default-deny: a command or action not in the table, or a statement that cannot be read (DDL run
 * inside a function or a {@code DO} block), copies the table again — never silence.
 */
final class DdlEffects {
    /** What a form of DDL does to the stored values. */
    enum Effect {
        /** No stored value changes: nothing to do in the target. */
        NONE("none"),
        /** A new table: copied when it joins the selection. */
        CREATES("a new table: copied when selected"),
        /** A new column: added; with a default, identity or stored expression existing rows got values. */
        ADDS_COLUMN("a column with values (a default, identity or stored expression): copied again; without: added"),
        /** A column dropped: dropped in the target. */
        DROPS_COLUMN("none: the column is dropped in the target"),
        /** A column or the table renamed: values kept. */
        RENAMES("none: renamed in the target (a table: see renames)"),
        /** A column's type changed: converted in place only when the conversion keeps every value's text. */
        RETYPES("rewrites values unless a widening without USING: copied again, else converted in place"),
        /** The key or replica identity may change: rebuilt with the new key, or FAILED without one. */
        CHANGES_IDENTITY("changes identity: rebuilt with the new key (FAILED without a usable one)"),
        /** Stored values change without row changes: the table is copied again. */
        REWRITES_VALUES("rewrites values: copied again"),
        /** The table leaves the publication or the WAL: copied again once back (FAILED while it cannot be). */
        LEAVES_PUBLICATION("leaves the publication: put back and copied again, or FAILED with the reason");

        final String readme;

        Effect(String readme) {
            this.readme = readme;
        }
    }

    /** A form of DDL: its words ({@code …} a name, {@code [X]} optional words), and its effect. */
    record Rule(String kind, String form, Effect effect) {}

    /** Every form zeroetl classifies, from PostgreSQL's ALTER TABLE and ALTER TYPE pages (16–18). */
    static final List<Rule> RULES = List.of(
            new Rule("command", "CREATE TABLE", Effect.CREATES),
            new Rule("command", "CREATE TABLE AS", Effect.CREATES),
            new Rule("command", "SELECT INTO", Effect.CREATES),
            new Rule("command", "DROP TABLE", Effect.NONE),
            new Rule("command", "COMMENT", Effect.NONE),
            new Rule("command", "SECURITY LABEL", Effect.NONE),
            new Rule("command", "ALTER SCHEMA", Effect.RENAMES),
            new Rule("command", "ALTER PUBLICATION", Effect.LEAVES_PUBLICATION),
            new Rule("command", "ALTER EXTENSION … UPDATE", Effect.REWRITES_VALUES),
            new Rule("command", "ALTER EXTENSION", Effect.NONE),
            new Rule("ALTER TABLE", "ADD CONSTRAINT", Effect.CHANGES_IDENTITY),
            new Rule("ALTER TABLE", "ADD PRIMARY KEY", Effect.CHANGES_IDENTITY),
            new Rule("ALTER TABLE", "ADD UNIQUE", Effect.NONE),
            new Rule("ALTER TABLE", "ADD CHECK", Effect.NONE),
            new Rule("ALTER TABLE", "ADD FOREIGN KEY", Effect.NONE),
            new Rule("ALTER TABLE", "ADD EXCLUDE", Effect.NONE),
            new Rule("ALTER TABLE", "ADD [COLUMN] [IF NOT EXISTS] …", Effect.ADDS_COLUMN),
            new Rule("ALTER TABLE", "DROP CONSTRAINT", Effect.CHANGES_IDENTITY),
            new Rule("ALTER TABLE", "DROP [COLUMN] [IF EXISTS] …", Effect.DROPS_COLUMN),
            new Rule("ALTER TABLE", "ALTER CONSTRAINT", Effect.CHANGES_IDENTITY),
            new Rule("ALTER TABLE", "VALIDATE CONSTRAINT", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … TYPE", Effect.RETYPES),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET DATA TYPE", Effect.RETYPES),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET DEFAULT", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … DROP DEFAULT", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET NOT NULL", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … DROP NOT NULL", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET EXPRESSION", Effect.REWRITES_VALUES),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … DROP EXPRESSION", Effect.ADDS_COLUMN),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … ADD GENERATED", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET GENERATED", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … RESTART", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … DROP IDENTITY", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET STATISTICS", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET STORAGE", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET COMPRESSION", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET (", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … RESET (", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET INCREMENT", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET START", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET MINVALUE", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET MAXVALUE", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET NO", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET CYCLE", Effect.NONE),
            new Rule("ALTER TABLE", "ALTER [COLUMN] … SET CACHE", Effect.NONE),
            new Rule("ALTER TABLE", "DISABLE TRIGGER", Effect.NONE),
            new Rule("ALTER TABLE", "ENABLE TRIGGER", Effect.NONE),
            new Rule("ALTER TABLE", "ENABLE REPLICA TRIGGER", Effect.NONE),
            new Rule("ALTER TABLE", "ENABLE ALWAYS TRIGGER", Effect.NONE),
            new Rule("ALTER TABLE", "DISABLE RULE", Effect.NONE),
            new Rule("ALTER TABLE", "ENABLE RULE", Effect.NONE),
            new Rule("ALTER TABLE", "ENABLE REPLICA RULE", Effect.NONE),
            new Rule("ALTER TABLE", "ENABLE ALWAYS RULE", Effect.NONE),
            new Rule("ALTER TABLE", "DISABLE ROW LEVEL SECURITY", Effect.NONE),
            new Rule("ALTER TABLE", "ENABLE ROW LEVEL SECURITY", Effect.NONE),
            new Rule("ALTER TABLE", "FORCE ROW LEVEL SECURITY", Effect.NONE),
            new Rule("ALTER TABLE", "NO FORCE ROW LEVEL SECURITY", Effect.NONE),
            new Rule("ALTER TABLE", "CLUSTER ON", Effect.NONE),
            new Rule("ALTER TABLE", "SET WITHOUT CLUSTER", Effect.NONE),
            new Rule("ALTER TABLE", "SET WITHOUT OIDS", Effect.NONE),
            new Rule("ALTER TABLE", "SET ACCESS METHOD", Effect.NONE),
            new Rule("ALTER TABLE", "SET TABLESPACE", Effect.NONE),
            new Rule("ALTER TABLE", "SET LOGGED", Effect.REWRITES_VALUES),
            new Rule("ALTER TABLE", "SET UNLOGGED", Effect.LEAVES_PUBLICATION),
            new Rule("ALTER TABLE", "SET (", Effect.NONE),
            new Rule("ALTER TABLE", "RESET (", Effect.NONE),
            new Rule("ALTER TABLE", "INHERIT", Effect.NONE),
            new Rule("ALTER TABLE", "NO INHERIT", Effect.NONE),
            new Rule("ALTER TABLE", "OF", Effect.NONE),
            new Rule("ALTER TABLE", "NOT OF", Effect.NONE),
            new Rule("ALTER TABLE", "OWNER TO", Effect.NONE),
            new Rule("ALTER TABLE", "REPLICA IDENTITY", Effect.CHANGES_IDENTITY),
            new Rule("ALTER TABLE", "RENAME CONSTRAINT", Effect.NONE),
            new Rule("ALTER TABLE", "RENAME TO", Effect.RENAMES),
            new Rule("ALTER TABLE", "RENAME [COLUMN] … TO", Effect.RENAMES),
            new Rule("ALTER TABLE", "SET SCHEMA", Effect.RENAMES),
            new Rule("ALTER TABLE", "ATTACH PARTITION", Effect.REWRITES_VALUES),
            new Rule("ALTER TABLE", "DETACH PARTITION", Effect.REWRITES_VALUES),
            new Rule("ALTER TYPE", "ADD VALUE", Effect.NONE),
            new Rule("ALTER TYPE", "RENAME VALUE", Effect.REWRITES_VALUES),
            new Rule("ALTER TYPE", "RENAME TO", Effect.NONE),
            new Rule("ALTER TYPE", "OWNER TO", Effect.NONE),
            new Rule("ALTER TYPE", "SET SCHEMA", Effect.NONE),
            new Rule("ALTER TYPE", "RENAME ATTRIBUTE", Effect.NONE),
            new Rule("ALTER TYPE", "ADD ATTRIBUTE", Effect.REWRITES_VALUES),
            new Rule("ALTER TYPE", "DROP ATTRIBUTE", Effect.REWRITES_VALUES),
            new Rule("ALTER TYPE", "ALTER ATTRIBUTE", Effect.REWRITES_VALUES),
            new Rule("ALTER TYPE", "SET (", Effect.REWRITES_VALUES));

    private static final int INT2 = 21;
    private static final int INT4 = 23;
    private static final int INT8 = 20;
    private static final int NUMERIC = 1700;
    private static final int TEXT = 25;
    private static final int VARCHAR = 1043;
    /** Types whose modifier is a precision that, raised, keeps every value: timestamp, timestamptz, time, timetz. */
    private static final Set<Integer> PRECISION_TYPES = Set.of(1114, 1184, 1083, 1266);
    /** Integer widenings: every value keeps its text. */
    private static final Map<Integer, Set<Integer>> WIDER = Map.of(INT2, Set.of(INT4, INT8), INT4, Set.of(INT8));

    private DdlEffects() {}

    /** {@return why the table must be copied again after {@code ddl}, or null when the target can follow it} */
    static String recopy(CapturedDdl ddl) {
        if (ddl.found() != null) {
            return ddl.found();
        }
        DdlStatement statement = DdlStatement.parse(ddl.statement());
        return switch (ddl.tag()) {
            case "CREATE TABLE",
                    "CREATE TABLE AS",
                    "SELECT INTO",
                    "DROP TABLE",
                    "COMMENT",
                    "SECURITY LABEL",
                    "ALTER SCHEMA" -> null;
            case "ALTER TABLE" -> alterTable(ddl, statement);
            case "ALTER TYPE" -> alterType(statement);
            case "ALTER EXTENSION" -> {
                List<List<Token>> actions = statement.actions("EXTENSION");
                yield actions != null && actions.stream().noneMatch(a -> DdlStatement.startsWith(a, 0, "UPDATE"))
                        ? null
                        : "an extension its values' types belong to was updated (" + shorten(ddl.statement())
                                + "): their text may have changed";
            }
            default ->
                "a schema change zeroetl does not classify (" + ddl.tag() + ": " + shorten(ddl.statement()) + ")";
        };
    }

    private static String alterType(DdlStatement statement) {
        List<List<Token>> actions = statement.actions("TYPE");
        if (actions == null) {
            return "a type its values hold changed, in a statement zeroetl cannot read ("
                    + shorten(String.valueOf(statement.single())) + ")";
        }
        for (List<Token> action : actions) {
            Effect effect = effect("ALTER TYPE", action);
            if (effect == null) {
                return "a type its values hold changed in a way zeroetl does not classify (" + words(action) + ")";
            }
            if (effect != Effect.NONE) {
                return "a type its values hold changed what its values read as (" + words(action) + ")";
            }
        }
        return null;
    }

    private static String alterTable(CapturedDdl ddl, DdlStatement statement) {
        List<List<Token>> actions = statement.actions("TABLE");
        List<String> typeChanges = typeChanges(ddl);
        boolean rewritten = (ddl.rewrite() & ~8) != 0;
        if (actions == null) {
            if (statement.startsWith("ALTER", "TABLE", "ALL", "IN", "TABLESPACE")) {
                return null;
            }
            if (statement.startsWith("CREATE") && typeChanges.isEmpty() && !rewritten) {
                // a CREATE TABLE adds its foreign keys as ALTER TABLE: nothing stored changes
                return null;
            }
            return "it was changed by a statement zeroetl cannot read as one ALTER TABLE (" + shorten(ddl.statement())
                    + "), so what happened to its values is not known";
        }
        boolean retyped = false;
        boolean using = false;
        for (List<Token> action : actions) {
            Effect effect = effect("ALTER TABLE", action);
            if (effect == null) {
                return "a schema change zeroetl does not classify (ALTER TABLE ... " + words(action) + ")";
            }
            switch (effect) {
                case REWRITES_VALUES, LEAVES_PUBLICATION -> {
                    return "ALTER TABLE ... " + words(action) + " changed its stored values without row changes";
                }
                case RETYPES -> {
                    retyped = true;
                    using |= action.stream().anyMatch(t -> t.word() && t.text().equals("USING"));
                }
                default -> {}
            }
        }
        if (using && typeChanges.isEmpty()) {
            // USING to the same type recomputes every value (upper(name)); the rewrite says so, but a partitioned
            // table's rewrites are its partitions': the statement alone must be enough
            return "a column's type was set with USING, which may change every value";
        }
        if (!typeChanges.isEmpty()) {
            if (statement.mentions("USING")) {
                return "the type of " + String.join(", ", typeChanges) + " changed with USING, which may change"
                        + " every value";
            }
            List<String> lossy = new ArrayList<>();
            for (CapturedColumn now : ddl.after()) {
                CapturedColumn was = CapturedDdl.find(ddl.before(), now.attnum());
                if (was != null && changedType(was, now) && !keepsText(was, now)) {
                    lossy.add(now.name());
                }
            }
            if (!lossy.isEmpty()) {
                return "the type of " + String.join(", ", lossy) + " changed by a conversion that may change its"
                        + " values' text (only integer widening, longer varchar, numeric or time precision, and"
                        + " text to varchar are followed in place)";
            }
        } else if (retyped && ddl.before() == null) {
            return "a column's type changed, and the columns before it were not recorded";
        }
        if ((ddl.rewrite() & 4) != 0 && typeChanges.isEmpty() || (ddl.rewrite() & 3) != 0) {
            return "the table was rewritten (reason " + ddl.rewrite() + ") with no type change to explain it";
        }
        if (ddl.before() != null) {
            for (CapturedColumn now : ddl.after()) {
                CapturedColumn was = CapturedDdl.find(ddl.before(), now.attnum());
                if (was != null && !was.published()) {
                    return "column " + now.name() + " was not published before (a generated column) and now is,"
                            + " holding values the change stream never carried";
                }
            }
        }
        return null;
    }

    /** The names of the columns whose type or modifier the command changed. */
    private static List<String> typeChanges(CapturedDdl ddl) {
        List<String> changed = new ArrayList<>();
        if (ddl.before() == null) {
            return changed;
        }
        for (CapturedColumn now : ddl.after()) {
            CapturedColumn was = CapturedDdl.find(ddl.before(), now.attnum());
            if (was != null && changedType(was, now)) {
                changed.add(now.name());
            }
        }
        return changed;
    }

    private static boolean changedType(CapturedColumn was, CapturedColumn now) {
        // type 0: recorded by an earlier version of the trigger, which kept no types
        return was.type() != 0 && (was.type() != now.type() || was.typmod() != now.typmod());
    }

    /** Whether converting {@code was} to {@code now} keeps every value's text (and so the target's CAST agrees). */
    static boolean keepsText(CapturedColumn was, CapturedColumn now) {
        if (WIDER.getOrDefault(was.type(), Set.of()).contains(now.type()) && now.typmod() == -1) {
            return true;
        }
        boolean fromString = was.type() == TEXT || was.type() == VARCHAR;
        if (fromString && now.type() == TEXT) {
            return true;
        }
        if (fromString && now.type() == VARCHAR) {
            // to a shorter length PostgreSQL refuses a longer value rather than cut it
            return true;
        }
        if (was.type() == NUMERIC && now.type() == NUMERIC) {
            if (now.typmod() == -1) {
                return true;
            }
            if (was.typmod() == -1) {
                return false;
            }
            int wasScale = (was.typmod() - 4) & 0xffff;
            int nowScale = (now.typmod() - 4) & 0xffff;
            return wasScale == nowScale && (now.typmod() - 4) >> 16 >= (was.typmod() - 4) >> 16;
        }
        if (was.type() == now.type() && PRECISION_TYPES.contains(now.type())) {
            return now.typmod() == -1 || was.typmod() != -1 && now.typmod() >= was.typmod();
        }
        return false;
    }

    /** The effect of the first rule of {@code kind} whose form {@code action} begins with, or null. */
    static Effect effect(String kind, List<Token> action) {
        for (Rule rule : RULES) {
            if (rule.kind().equals(kind) && matches(rule.form(), action)) {
                return rule.effect();
            }
        }
        return null;
    }

    private static boolean matches(String form, List<Token> action) {
        String[] parts = form.replace("[", " [ ").replace("]", " ] ").trim().split("\\s+");
        return match(parts, 0, action, 0);
    }

    private static boolean match(String[] form, int f, List<Token> action, int a) {
        if (f == form.length) {
            return true;
        }
        if (form[f].equals("[")) {
            int close = f;
            while (!form[close].equals("]")) {
                close++;
            }
            String[] optional = Arrays.copyOfRange(form, f + 1, close);
            if (DdlStatement.startsWith(action, a, optional) && match(form, close + 1, action, a + optional.length)) {
                return true;
            }
            return match(form, close + 1, action, a);
        }
        if (a >= action.size()) {
            return false;
        }
        Token t = action.get(a);
        if (form[f].equals("…")) {
            return match(form, f + 1, action, a + 1);
        }
        if (form[f].equals("(")) {
            return !t.word() && t.text().equals("(") && match(form, f + 1, action, a + 1);
        }
        return t.word() && t.text().equals(form[f]) && match(form, f + 1, action, a + 1);
    }

    private static String words(List<Token> action) {
        StringBuilder s = new StringBuilder();
        for (Token t : action) {
            if (s.length() > 80) {
                return s.append(" ...").toString();
            }
            s.append(s.length() == 0 ? "" : " ").append(t.text());
        }
        return s.toString();
    }

    private static String shorten(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
    }
}

package io.zeroetl.testing.internal.redshift;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Translates one SQL statement from Redshift's dialect to PostgreSQL, or rejects it as Redshift would.
 * Stateless; the session's state comes in a {@link Context}.
 */
final class SqlTranslator {
    /** Redshift's limit on the text of one statement. */
    static final int MAX_STATEMENT_BYTES = 16 * 1024 * 1024;
    /** Redshift's limit on an identifier, in bytes. */
    static final int MAX_IDENTIFIER_BYTES = 127;
    /** What the backing PostgreSQL can hold (NAMEDATALEN - 1). */
    static final int BACKING_IDENTIFIER_BYTES = 63;
    /** Enough significant tokens for any type name with its arguments, e.g. TIMESTAMP (6) WITH TIME ZONE. */
    private static final int TYPE_LOOKAHEAD = 24;

    /**
     * The session's state the translation depends on.
     *
     * @param caseSensitive enable_case_sensitive_identifier
     * @param inTransactionBlock whether an explicit transaction is open
     * @param columns the column names of a table (for MERGE ... REMOVE DUPLICATES)
     */
    record Context(
            boolean caseSensitive,
            boolean inTransactionBlock,
            Function<String, List<String>> columns,
            Function<List<Token>, Translation> copy) {
        /** A session without COPY (nothing to load from). */
        Context(boolean caseSensitive, boolean inTransactionBlock, Function<String, List<String>> columns) {
            this(caseSensitive, inTransactionBlock, columns, sig -> {
                throw Rejected.unsupported("this emulator has no S3 to load from: build it with"
                        + " RedshiftEmulator.builder().s3(S3Server)");
            });
        }
    }

    private static final Map<String, String> FUNCTIONS = Map.ofEntries(
            Map.entry("GETDATE", "zeroetl_emulator.getdate"),
            Map.entry("VERSION", "zeroetl_emulator.version"),
            Map.entry("JSON_PARSE", "zeroetl_emulator.json_parse"),
            Map.entry("JSON_SERIALIZE", "zeroetl_emulator.json_serialize"),
            Map.entry("JSON_SERIALIZE_TO_VARBYTE", "zeroetl_emulator.json_serialize_to_varbyte"),
            Map.entry("JSON_SIZE", "zeroetl_emulator.json_size"),
            Map.entry("ISNULL", "zeroetl_emulator.isnull"),
            Map.entry("NVL", "zeroetl_emulator.nvl"),
            Map.entry("CHARINDEX", "zeroetl_emulator.charindex"),
            Map.entry("LEN", "zeroetl_emulator.len"),
            Map.entry("REGEXP_SUBSTR", "zeroetl_emulator.regexp_substr"),
            Map.entry("REGEXP_REPLACE", "zeroetl_emulator.regexp_replace"),
            Map.entry("CURRENT_DATABASE", "zeroetl_emulator.current_database"),
            Map.entry("FROM_HEX", "zeroetl_emulator.from_hex"),
            Map.entry("TO_HEX", "zeroetl_emulator.to_hex"),
            Map.entry("TO_VARBYTE", "zeroetl_emulator.to_varbyte"),
            Map.entry("SUM", "zeroetl_emulator.sum"),
            Map.entry("STRTOL", "zeroetl_emulator.strtol"),
            Map.entry("PG_GET_LATE_BINDING_VIEW_COLS", "zeroetl_emulator.pg_get_late_binding_view_cols"));
    /** Redshift system views the emulator provides in its own schema. */
    private static final Set<String> SYSTEM_VIEWS = Set.of(
            "SVV_EXTERNAL_SCHEMAS",
            "SVV_EXTERNAL_TABLES",
            "SVV_EXTERNAL_COLUMNS",
            "STL_LOAD_ERRORS",
            "SYS_LOAD_ERROR_DETAIL",
            "SVV_RELATION_PRIVILEGES",
            "SVV_COLUMN_PRIVILEGES",
            "STV_SESSIONS",
            "STV_SLICES",
            "STV_DB_ISOLATION_LEVEL");

    private static final Set<String> MISSING_FUNCTIONS = Set.of(
            "GENERATE_SERIES",
            "STRING_AGG",
            "ARRAY_AGG",
            "FORMAT",
            "CONVERT_FROM",
            "CONVERT_TO",
            "OVERLAY",
            "REGEXP_MATCHES",
            "UNNEST",
            "NEXTVAL",
            "SETVAL",
            "CURRVAL",
            "JSONB_BUILD_OBJECT",
            "JSON_BUILD_OBJECT",
            "TO_JSON",
            "TO_JSONB",
            "ROW_TO_JSON");
    private static final Set<String> NO_CREATE = Set.of(
            "INDEX",
            "SEQUENCE",
            "TRIGGER",
            "TYPE",
            "DOMAIN",
            "EXTENSION",
            "UNIQUE",
            "RULE",
            "POLICY",
            "PUBLICATION",
            "SUBSCRIPTION",
            "EVENT");

    private SqlTranslator() {}

    /** Splits a simple-query string into statements at top-level semicolons (kept off). */
    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (Token t : SqlLexer.lex(sql)) {
            if (t.isSymbol(";")) {
                statements.add(current.toString());
                current.setLength(0);
            } else {
                current.append(t.text);
            }
        }
        if (!current.toString().isBlank() || statements.isEmpty()) {
            statements.add(current.toString());
        }
        return statements;
    }

    /** Translates one statement. */
    static Translation translate(String sql, Context context) {
        try {
            if (sql.getBytes(StandardCharsets.UTF_8).length > MAX_STATEMENT_BYTES) {
                throw new Rejected(
                        Rejected.INTERNAL,
                        "Statement is too large: Redshift's limit is 16 MB of SQL text" + " per statement");
            }
            List<Token> tokens = SqlLexer.lex(sql);
            quoteTempNames(tokens);
            checkIdentifiers(tokens);
            if (!context.caseSensitive()) {
                foldQuoted(tokens);
            }
            List<Token> sig = Sig.of(tokens);
            if (sig.isEmpty()) {
                return Translation.of(sql);
            }
            Translation session = SessionRules.translate(sig, context);
            if (session != null) {
                return session;
            }
            Checks.rejectUnsupported(sig);
            rewriteExpressions(tokens);
            LateralAliases.resolve(tokens);
            sig = Sig.of(tokens);
            String first = sig.get(0).upper();
            switch (first) {
                case "CREATE":
                    if (isCreateTable(sig)) {
                        return Translation.of(TableDdl.create(sig));
                    }
                    break;
                case "ALTER":
                    if (Sig.is(sig, 1, "TABLE")) {
                        return Translation.of(AlterTableDdl.alter(sig, context.inTransactionBlock()));
                    }
                    break;
                case "DELETE":
                    if (!Sig.is(sig, 1, "FROM")) {
                        return Translation.of("DELETE FROM " + join(tokens, 1));
                    }
                    break;
                case "GRANT":
                case "REVOKE":
                    return Translation.of(GrantRules.grantees(tokens));
                case "MERGE":
                    return Translation.of(MergeRules.translate(sig, context));
                case "TRUNCATE":
                    return new Translation(join(tokens, 0), null, null, context.inTransactionBlock(), null);
                default:
                    break;
            }
            return Translation.of(join(tokens, 0));
        } catch (Rejected r) {
            return Translation.rejected(r);
        }
    }

    private static boolean isCreateTable(List<Token> sig) {
        int i = 1;
        while (Sig.is(sig, i, "LOCAL") || Sig.is(sig, i, "TEMP") || Sig.is(sig, i, "TEMPORARY")) {
            i++;
        }
        return Sig.is(sig, i, "TABLE");
    }

    /** Redshift's {@code #name} temporary tables become quoted names (folded like any identifier). */
    private static void quoteTempNames(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind == Token.Kind.WORD && t.text.startsWith("#")) {
                tokens.set(i, Token.quoted(t.text.toLowerCase(Locale.ROOT)));
            }
        }
    }

    /** Redshift folds identifiers to lower case even when quoted, unless the session says otherwise. */
    private static void foldQuoted(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind == Token.Kind.QUOTED) {
                String folded = foldAscii(t.name());
                if (!folded.equals(t.name())) {
                    tokens.set(i, Token.quoted(folded));
                }
            }
        }
    }

    private static String foldAscii(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return sb.toString();
    }

    private static void checkIdentifiers(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.isName()) {
                int bytes = t.name().getBytes(StandardCharsets.UTF_8).length;
                if (bytes > MAX_IDENTIFIER_BYTES) {
                    throw new Rejected(
                            Rejected.INVALID_NAME,
                            "identifier \"" + t.name().substring(0, 20) + "...\" is " + bytes
                                    + " bytes; Redshift's limit is 127 bytes");
                }
                if (bytes > BACKING_IDENTIFIER_BYTES) {
                    throw new Rejected(
                            Rejected.INVALID_NAME,
                            "identifier \"" + t.name().substring(0, 20) + "...\" is "
                                    + bytes
                                    + " bytes: valid in Redshift (up to 127), but the emulator's backing PostgreSQL"
                                    + " holds at most 63 bytes and would truncate it");
                }
            }
        }
    }

    /** Functions, SYSDATE and casts, rewritten in place. */
    private static void rewriteExpressions(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind != Token.Kind.WORD) {
                if (t.isSymbol("::")) {
                    castAt(tokens, i + 1);
                }
                continue;
            }
            int next = nextSignificant(tokens, i + 1);
            boolean call = next < tokens.size() && tokens.get(next).isSymbol("(");
            String upper = t.upper();
            if (call && FUNCTIONS.containsKey(upper) && !qualified(tokens, i)) {
                tokens.set(i, Token.word(FUNCTIONS.get(upper)));
            } else if (SYSTEM_VIEWS.contains(upper) && !call) {
                if (qualified(tokens, i)) {
                    dropQualifier(tokens, i);
                    i = tokens.indexOf(t);
                }
                tokens.set(i, Token.word("zeroetl_emulator." + SqlTranslator.lower(t.text)));
            } else if (upper.equals("SYSDATE") && !call && !qualified(tokens, i)) {
                tokens.set(i, Token.word("zeroetl_emulator.sysdate()"));
            } else if (upper.equals("CAST") && call) {
                castInCall(tokens, next);
            }
        }
    }

    private static void castAt(List<Token> tokens, int from) {
        int start = nextSignificant(tokens, from);
        // a type name spans a few tokens: look no further, or long statements turn quadratic
        List<Token> rest = new ArrayList<>(TYPE_LOOKAHEAD);
        for (int i = start; i < tokens.size() && rest.size() < TYPE_LOOKAHEAD; i++) {
            if (tokens.get(i).significant()) {
                rest.add(tokens.get(i));
            }
        }
        Sig.TypeRef type = Sig.type(rest, 0);
        String mapped = RedshiftTypes.cast(type.name(), type.args(), type.array());
        if (mapped == null) {
            return;
        }
        int consumed = 0;
        int end = start;
        while (consumed < type.end()) {
            if (tokens.get(end).significant()) {
                consumed++;
            }
            end++;
        }
        tokens.subList(start, end).clear();
        tokens.add(start, Token.word(mapped));
    }

    private static void castInCall(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
                if (depth == 0) {
                    return;
                }
            } else if (depth == 1 && t.is("AS")) {
                castAt(tokens, i + 1);
                return;
            }
        }
    }

    private static boolean qualified(List<Token> tokens, int i) {
        int previous = i - 1;
        while (previous >= 0 && !tokens.get(previous).significant()) {
            previous--;
        }
        return previous >= 0 && tokens.get(previous).isSymbol(".");
    }

    /** Removes {@code schema.} before the word at {@code i} (it is replaced by the emulator's schema). */
    private static void dropQualifier(List<Token> tokens, int i) {
        int dot = i - 1;
        while (!tokens.get(dot).significant()) {
            dot--;
        }
        int schema = dot - 1;
        while (!tokens.get(schema).significant()) {
            schema--;
        }
        tokens.subList(schema, i).clear();
    }

    private static int nextSignificant(List<Token> tokens, int from) {
        int i = from;
        while (i < tokens.size() && !tokens.get(i).significant()) {
            i++;
        }
        return i;
    }

    /** The statement's text from its {@code skip}-th significant token on. */
    static String join(List<Token> tokens, int skip) {
        StringBuilder sb = new StringBuilder();
        int seen = 0;
        Token previous = null;
        for (Token t : tokens) {
            if (seen >= skip) {
                // Redshift reads "1WHEN" as 1 WHEN; PostgreSQL 15+ calls it trailing junk
                if (previous != null && previous.kind == Token.Kind.NUMBER && t.kind == Token.Kind.WORD) {
                    sb.append(' ');
                }
                sb.append(t.text);
            }
            previous = t;
            if (t.significant()) {
                seen++;
            }
        }
        return sb.toString().trim();
    }

    static Set<String> missingFunctions() {
        return MISSING_FUNCTIONS;
    }

    static Set<String> noCreate() {
        return NO_CREATE;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

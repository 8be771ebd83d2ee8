package io.zeroetl.testing.internal.redshift;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redshift resolves a select-list alias used later in the same query ("lateral column alias
 * reference"): in a later select-list item, or in the WHERE clause. PostgreSQL does not. Modeled, in
 * every SELECT of a statement, for two shapes: an item that is just an earlier alias ({@code
 * is_autoincrement AS is_generatedcolumn}) takes that alias's expression; a bare name in WHERE that is
 * the alias of a plain column reference ({@code n.nspname AS table_schem}) takes that column.
 */
final class LateralAliases {
    private LateralAliases() {}

    static void resolve(List<Token> tokens) {
        List<Token> sig = Sig.of(tokens);
        for (int s = 0; s < sig.size(); s++) {
            if (sig.get(s).is("SELECT")) {
                resolveSelect(tokens, sig, s);
            }
        }
    }

    private static void resolveSelect(List<Token> tokens, List<Token> sig, int select) {
        int from = sameLevel(sig, select + 1, "FROM");
        if (from < 0) {
            return;
        }
        Map<String, List<Token>> expressions = new HashMap<>();
        Map<String, List<Token>> columns = new HashMap<>();
        for (List<Token> item : Sig.splitTopLevel(sig, select + 1, from)) {
            int n = item.size();
            if (n < 3 || !item.get(n - 2).is("AS") || !item.get(n - 1).isName()) {
                continue;
            }
            String alias = key(item.get(n - 1));
            List<Token> expression = item.subList(0, n - 2);
            if (expression.size() == 1
                    && expression.get(0).isName()
                    && expressions.containsKey(key(expression.get(0)))
                    && !columns.containsKey(key(expression.get(0)))) {
                List<Token> earlier = expressions.get(key(expression.get(0)));
                int at = indexOfIdentity(tokens, expression.get(0));
                tokens.set(at, new Token(Token.Kind.WORD, "(" + joinTokens(earlier) + ")"));
                expressions.put(alias, earlier);
                continue;
            }
            expressions.put(alias, new ArrayList<>(expression));
            if (expression.size() == 3
                    && expression.get(0).isName()
                    && expression.get(1).isSymbol(".")
                    && expression.get(2).isName()
                    && !key(expression.get(2)).equals(alias)) {
                columns.put(alias, expression);
            }
        }
        int where = sameLevel(sig, from, "WHERE");
        if (where < 0 || columns.isEmpty()) {
            return;
        }
        int end = endOfClause(sig, where);
        for (int i = where + 1; i < end; i++) {
            Token t = sig.get(i);
            if (t.isName()
                    && !Sig.isSymbol(sig, i - 1, ".")
                    && !Sig.isSymbol(sig, i + 1, ".")
                    && !Sig.isSymbol(sig, i + 1, "(")
                    && columns.containsKey(key(t))) {
                List<Token> column = columns.get(key(t));
                tokens.set(
                        indexOfIdentity(tokens, t),
                        new Token(Token.Kind.WORD, column.get(0).text + "." + column.get(2).text));
            }
        }
    }

    private static String key(Token t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    private static String joinTokens(List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) {
            sb.append(sb.length() == 0 ? "" : " ").append(t.text);
        }
        return sb.toString();
    }

    /** The index of {@code word} at the nesting level where the search starts, or -1 before that level ends. */
    private static int sameLevel(List<Token> sig, int from, String word) {
        int depth = 0;
        for (int i = from; i < sig.size(); i++) {
            Token t = sig.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
                if (depth < 0) {
                    return -1;
                }
            } else if (depth == 0 && t.is(word)) {
                return i;
            } else if (depth == 0 && (t.is("UNION") || t.is("SELECT") && i > from)) {
                return -1;
            }
        }
        return -1;
    }

    private static int endOfClause(List<Token> sig, int where) {
        int depth = 0;
        for (int i = where + 1; i < sig.size(); i++) {
            Token t = sig.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
                if (depth < 0) {
                    return i;
                }
            } else if (depth == 0
                    && (t.is("ORDER")
                            || t.is("GROUP")
                            || t.is("LIMIT")
                            || t.is("UNION")
                            || t.is("HAVING")
                            || t.is("OFFSET"))) {
                return i;
            }
        }
        return sig.size();
    }

    private static int indexOfIdentity(List<Token> tokens, Token t) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i) == t) {
                return i;
            }
        }
        throw new IllegalStateException("token not found");
    }
}

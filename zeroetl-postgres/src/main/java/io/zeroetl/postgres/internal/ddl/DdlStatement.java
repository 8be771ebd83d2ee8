package io.zeroetl.postgres.internal.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of a DDL command as the trigger saw it ({@code current_query()}), split into what
 * {@link DdlEffects} needs to classify it: its statements, and for an {@code ALTER TABLE} or {@code ALTER TYPE}
 * the actions after the name. A small lexer of PostgreSQL's SQL: comments, quoted names, string constants
 * (standard, escape and dollar-quoted) and parentheses are respected; words outside them are upper-cased.
 * Anything it cannot read as one statement of a known kind comes out as {@link #single()} empty, and the
 * caller decides on the safe side.
 */
final class DdlStatement {
    /** A token: a word (upper-cased unless quoted), punctuation, or a constant (kept as its text). */
    record Token(String text, boolean word) {}

    private final List<List<Token>> statements;

    private DdlStatement(List<List<Token>> statements) {
        this.statements = statements;
    }

    static DdlStatement parse(String sql) {
        List<List<Token>> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0;
                do {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (depth > 0 && i < n);
            } else if (c == ';') {
                if (!current.isEmpty()) {
                    statements.add(current);
                    current = new ArrayList<>();
                }
                i++;
            } else if (c == '"') {
                int end = i + 1;
                StringBuilder name = new StringBuilder();
                while (end < n) {
                    if (sql.charAt(end) == '"') {
                        if (end + 1 < n && sql.charAt(end + 1) == '"') {
                            name.append('"');
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    name.append(sql.charAt(end++));
                }
                current.add(new Token(name.toString(), false));
                i = end + 1;
            } else if (c == '\'' || (c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                boolean escapes = c != '\'';
                int end = escapes ? i + 2 : i + 1;
                while (end < n) {
                    char d = sql.charAt(end);
                    if (escapes && d == '\\') {
                        end += 2;
                    } else if (d == '\'') {
                        if (end + 1 < n && sql.charAt(end + 1) == '\'') {
                            end += 2;
                        } else {
                            break;
                        }
                    } else {
                        end++;
                    }
                }
                current.add(new Token(sql.substring(i, Math.min(n, end + 1)), false));
                i = end + 1;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                int stop = end < 0 ? n : end + tag.length();
                current.add(new Token(sql.substring(i, stop), false));
                i = stop;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n
                        && (Character.isLetterOrDigit(sql.charAt(end))
                                || sql.charAt(end) == '_'
                                || sql.charAt(end) == '$')) {
                    end++;
                }
                current.add(new Token(sql.substring(i, end).toUpperCase(Locale.ROOT), true));
                i = end;
            } else if (Character.isDigit(c)) {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                    end++;
                }
                current.add(new Token(sql.substring(i, end), false));
                i = end;
            } else {
                current.add(new Token(String.valueOf(c), false));
                i++;
            }
        }
        if (!current.isEmpty()) {
            statements.add(current);
        }
        return new DdlStatement(statements);
    }

    /** {@code $tag$} starting at {@code i}, or null. */
    private static String dollarTag(String sql, int i) {
        int end = i + 1;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        if (end < sql.length() && sql.charAt(end) == '$' && (end == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, end + 1);
        }
        return null;
    }

    /** {@return the tokens of the only statement, or null when the text holds none or several} */
    List<Token> single() {
        return statements.size() == 1 ? statements.get(0) : null;
    }

    /** {@return whether the only statement begins with these words} */
    boolean startsWith(String... words) {
        List<Token> tokens = single();
        return tokens != null && startsWith(tokens, 0, words);
    }

    /** {@return whether any statement holds the word {@code word}, outside quotes, constants and comments} */
    boolean mentions(String word) {
        return statements.stream()
                .flatMap(List::stream)
                .anyMatch(t -> t.word() && t.text().equals(word));
    }

    /**
     * The actions of the only statement, an {@code ALTER <kind> [IF EXISTS] [ONLY] name [*] action [, ...]},
     * each as its tokens; null when it is not such a statement. {@code kind} is the words after ALTER, e.g.
     * {@code TABLE} or {@code TYPE}.
     */
    List<List<Token>> actions(String... kind) {
        List<Token> tokens = single();
        if (tokens == null || !startsWith(tokens, 0, "ALTER") || !startsWith(tokens, 1, kind)) {
            return null;
        }
        int at = 1 + kind.length;
        if (startsWith(tokens, at, "IF", "EXISTS")) {
            at += 2;
        }
        if (startsWith(tokens, at, "ONLY")) {
            at++;
        }
        // the name: one or more parts separated by dots
        if (at >= tokens.size()) {
            return null;
        }
        at++;
        while (at + 1 < tokens.size() && tokens.get(at).text().equals(".")) {
            at += 2;
        }
        if (at < tokens.size() && tokens.get(at).text().equals("*")) {
            at++;
        }
        List<List<Token>> actions = new ArrayList<>();
        List<Token> action = new ArrayList<>();
        int depth = 0;
        for (; at < tokens.size(); at++) {
            Token t = tokens.get(at);
            if (!t.word() && t.text().equals("(")) {
                depth++;
            } else if (!t.word() && t.text().equals(")")) {
                depth--;
            }
            if (depth == 0 && !t.word() && t.text().equals(",")) {
                actions.add(action);
                action = new ArrayList<>();
            } else {
                action.add(t);
            }
        }
        if (!action.isEmpty()) {
            actions.add(action);
        }
        return actions.isEmpty() ? null : actions;
    }

    /** {@return whether {@code tokens} from {@code at} are these words, in order} */
    static boolean startsWith(List<Token> tokens, int at, String... words) {
        if (at + words.length > tokens.size()) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            Token t = tokens.get(at + i);
            if (!t.word() || !t.text().equals(words[i])) {
                return false;
            }
        }
        return true;
    }
}

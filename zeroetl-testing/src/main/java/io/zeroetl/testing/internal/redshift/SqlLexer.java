package io.zeroetl.testing.internal.redshift;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into {@link Token}s, the way PostgreSQL and Redshift read it: quoted identifiers
 * (with {@code ""}), string literals ({@code '...'}, {@code E'...'} with backslash escapes,
 * {@code $tag$...$tag$}), comments, numbers, parameters ({@code $1}), words and symbols. A {@code #name}
 * in operand position is read as one word (a Redshift temporary table name).
 */
final class SqlLexer {
    private final String sql;
    private int pos;
    private final List<Token> tokens = new ArrayList<>();

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    static List<Token> lex(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            int start = pos;
            if (Character.isWhitespace(c)) {
                while (pos < sql.length() && Character.isWhitespace(sql.charAt(pos))) {
                    pos++;
                }
                add(Token.Kind.SPACE, start);
            } else if (c == '-' && peek(1) == '-') {
                while (pos < sql.length() && sql.charAt(pos) != '\n') {
                    pos++;
                }
                add(Token.Kind.COMMENT, start);
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
                add(Token.Kind.COMMENT, start);
            } else if (c == '"') {
                quoted('"', false);
                add(Token.Kind.QUOTED, start);
            } else if (c == '\'') {
                // Redshift reads backslash escapes in ordinary string literals
                quoted('\'', true);
                add(Token.Kind.STRING, start);
            } else if ((c == 'E' || c == 'e') && peek(1) == '\'') {
                pos++;
                quoted('\'', true);
                add(Token.Kind.STRING, start);
            } else if ((c == 'N' || c == 'n' || c == 'X' || c == 'x' || c == 'B' || c == 'b')
                    && peek(1) == '\''
                    && !previousIsWordChar()) {
                pos++;
                quoted('\'', false);
                add(Token.Kind.STRING, start);
            } else if (c == '$' && Character.isDigit(peek(1))) {
                pos++;
                while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                    pos++;
                }
                add(Token.Kind.PARAM, start);
            } else if (c == '$' && dollarQuote()) {
                add(Token.Kind.STRING, start);
            } else if (Character.isDigit(c) || c == '.' && Character.isDigit(peek(1))) {
                number();
                add(Token.Kind.NUMBER, start);
            } else if (isWordStart(c) || c == '#' && isWordStart(peek(1)) && operandPosition()) {
                pos++;
                while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                    pos++;
                }
                add(Token.Kind.WORD, start);
            } else {
                symbol();
                add(Token.Kind.SYMBOL, start);
            }
        }
    }

    private void add(Token.Kind kind, int start) {
        tokens.add(new Token(kind, sql.substring(start, pos)));
    }

    private char peek(int ahead) {
        int at = pos + ahead;
        return at < sql.length() ? sql.charAt(at) : '\0';
    }

    private boolean previousIsWordChar() {
        return pos > 0 && isWordPart(sql.charAt(pos - 1));
    }

    private void blockComment() {
        int depth = 0;
        while (pos < sql.length()) {
            if (sql.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (sql.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
    }

    private void quoted(char quote, boolean backslashEscapes) {
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (backslashEscapes && c == '\\') {
                pos += 2;
            } else if (c == quote) {
                if (peek(1) == quote) {
                    pos += 2;
                } else {
                    pos++;
                    return;
                }
            } else {
                pos++;
            }
        }
    }

    private boolean dollarQuote() {
        int end = pos + 1;
        while (end < sql.length() && isWordPart(sql.charAt(end)) && sql.charAt(end) != '$') {
            end++;
        }
        if (end >= sql.length() || sql.charAt(end) != '$') {
            return false;
        }
        String tag = sql.substring(pos, end + 1);
        int close = sql.indexOf(tag, end + 1);
        pos = close < 0 ? sql.length() : close + tag.length();
        return true;
    }

    private void number() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isDigit(c) || c == '.') {
                pos++;
            } else if ((c == 'e' || c == 'E')
                    && (Character.isDigit(peek(1))
                            || (peek(1) == '-' || peek(1) == '+') && Character.isDigit(peek(2)))) {
                pos += 2;
            } else {
                return;
            }
        }
    }

    private void symbol() {
        String[] multi = {"::", "<>", "!=", ">=", "<=", "||", "->>", "->", "=>"};
        for (String m : multi) {
            if (sql.startsWith(m, pos)) {
                pos += m.length();
                return;
            }
        }
        pos++;
    }

    /** Whether a word here would be an operand: after nothing, a symbol other than ')', or a keyword. */
    private boolean operandPosition() {
        for (int i = tokens.size() - 1; i >= 0; i--) {
            Token t = tokens.get(i);
            if (t.significant()) {
                return t.kind == Token.Kind.SYMBOL && !t.text.equals(")") || t.kind == Token.Kind.WORD;
            }
        }
        return true;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c > 127 && Character.isJavaIdentifierStart(c);
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127 && Character.isJavaIdentifierPart(c);
    }
}

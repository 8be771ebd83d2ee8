package io.zeroetl.testing.internal.redshift;

import java.util.Locale;

/**
 * One lexical token of a SQL statement. Whitespace and comments are tokens too, so joining the texts
 * gives the statement back unchanged.
 */
final class Token {
    enum Kind {
        WORD,
        QUOTED,
        STRING,
        NUMBER,
        PARAM,
        SYMBOL,
        SPACE,
        COMMENT
    }

    final Kind kind;
    final String text;

    Token(Kind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    static Token word(String text) {
        return new Token(Kind.WORD, text);
    }

    static Token symbol(String text) {
        return new Token(Kind.SYMBOL, text);
    }

    static Token space() {
        return new Token(Kind.SPACE, " ");
    }

    static Token quoted(String name) {
        return new Token(Kind.QUOTED, "\"" + name.replace("\"", "\"\"") + "\"");
    }

    /** Whether this is the unquoted word {@code word}, ignoring case. */
    boolean is(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    /** Whether this is the symbol {@code symbol}. */
    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** Whether this token matters to the statement's meaning (not space or comment). */
    boolean significant() {
        return kind != Kind.SPACE && kind != Kind.COMMENT;
    }

    /** Whether this names something: an unquoted word or a quoted identifier. */
    boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED;
    }

    /** The name this token stands for: quotes removed, or an unquoted word folded to lower case. */
    String name() {
        if (kind == Kind.QUOTED) {
            return text.substring(1, text.length() - 1).replace("\"\"", "\"");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** The upper-cased word, for keyword matching. */
    String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return kind + "(" + text + ")";
    }
}

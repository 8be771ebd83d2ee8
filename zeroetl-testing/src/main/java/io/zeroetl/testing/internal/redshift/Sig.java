package io.zeroetl.testing.internal.redshift;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Helpers over the significant tokens of a statement. */
final class Sig {
    private Sig() {}

    static List<Token> of(List<Token> tokens) {
        List<Token> significant = new ArrayList<>();
        for (Token t : tokens) {
            if (t.significant()) {
                significant.add(t);
            }
        }
        return significant;
    }

    static boolean is(List<Token> sig, int i, String word) {
        return i >= 0 && i < sig.size() && sig.get(i).is(word);
    }

    static boolean isSymbol(List<Token> sig, int i, String symbol) {
        return i >= 0 && i < sig.size() && sig.get(i).isSymbol(symbol);
    }

    /** The index just after the parenthesis that closes the one at {@code open}. */
    static int afterClosing(List<Token> sig, int open) {
        int depth = 0;
        for (int i = open; i < sig.size(); i++) {
            if (sig.get(i).isSymbol("(") || sig.get(i).isSymbol("[")) {
                depth++;
            } else if (sig.get(i).isSymbol(")") || sig.get(i).isSymbol("]")) {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        throw Rejected.syntax("end of input", "unbalanced parentheses");
    }

    /** Splits {@code sig[from, to)} at commas outside parentheses. */
    static List<List<Token>> splitTopLevel(List<Token> sig, int from, int to) {
        List<List<Token>> parts = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (int i = from; i < to; i++) {
            Token t = sig.get(i);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            }
            if (depth == 0 && t.isSymbol(",")) {
                parts.add(current);
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }

    /** The tokens joined with single spaces where words would otherwise run together. */
    static String join(List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        Token previous = null;
        for (Token t : tokens) {
            if (previous != null && needsSpace(previous, t)) {
                sb.append(' ');
            }
            sb.append(t.text);
            previous = t;
        }
        return sb.toString();
    }

    private static boolean needsSpace(Token a, Token b) {
        if (a.isSymbol("(")
                || b.isSymbol(")")
                || b.isSymbol(",")
                || a.isSymbol(".")
                || b.isSymbol(".")
                || a.isSymbol("::")
                || b.isSymbol("::")
                || b.isSymbol("(") && a.kind == Token.Kind.WORD
                || b.isSymbol("[")
                || a.isSymbol("[")
                || b.isSymbol("]")) {
            return false;
        }
        return true;
    }

    /** Upper-cased texts of {@code sig[from, to)} joined by spaces, for messages and matching. */
    static String upper(List<Token> sig, int from, int to) {
        return sig.subList(from, Math.min(to, sig.size())).stream()
                .map(t -> t.text.toUpperCase(Locale.ROOT))
                .collect(Collectors.joining(" "));
    }

    /** A parsed type reference: its name words, its arguments, whether it is an array, where it ends. */
    record TypeRef(String name, String args, boolean array, int end) {}

    /** Reads a type name starting at {@code i}. */
    static TypeRef type(List<Token> sig, int i) {
        if (i >= sig.size() || !sig.get(i).isName()) {
            throw Rejected.syntax(i < sig.size() ? sig.get(i).text : "end of input", "a type name was expected");
        }
        String first = sig.get(i).kind == Token.Kind.QUOTED
                ? sig.get(i).name().toUpperCase(Locale.ROOT)
                : sig.get(i).upper();
        StringBuilder name = new StringBuilder(first);
        int j = i + 1;
        while (isSymbol(sig, j, ".") && j + 1 < sig.size()) {
            name.append('.').append(sig.get(j + 1).upper());
            j += 2;
        }
        if (first.equals("DOUBLE") && is(sig, j, "PRECISION")
                || (first.equals("BIT") || first.equals("BINARY") || first.equals("CHARACTER"))
                        && is(sig, j, "VARYING")) {
            name.append(' ').append(sig.get(j++).upper());
        } else if (first.equals("NATIONAL") && is(sig, j, "CHARACTER")) {
            name.append(" CHARACTER");
            j++;
            if (is(sig, j, "VARYING")) {
                name.append(" VARYING");
                j++;
            }
        } else if (first.equals("INTERVAL")
                && j < sig.size()
                && sig.get(j).kind == Token.Kind.WORD
                && List.of("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND")
                        .contains(sig.get(j).upper())) {
            int start = j;
            while (j < sig.size()
                    && sig.get(j).kind == Token.Kind.WORD
                    && List.of("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TO")
                            .contains(sig.get(j).upper())) {
                j++;
            }
            String qualifier = upper(sig, start, j);
            if (!qualifier.equals("YEAR TO MONTH") && !qualifier.equals("DAY TO SECOND")) {
                throw Rejected.unsupported("INTERVAL " + qualifier + " is not supported: Redshift allows INTERVAL"
                        + " YEAR TO MONTH and INTERVAL DAY TO SECOND");
            }
            name.append(' ').append(qualifier);
        }
        String args = null;
        if (isSymbol(sig, j, "(")) {
            int end = afterClosing(sig, j);
            args = join(sig.subList(j + 1, end - 1));
            j = end;
        }
        if ((first.equals("TIMESTAMP") || first.equals("TIME"))
                && (is(sig, j, "WITH") || is(sig, j, "WITHOUT"))
                && is(sig, j + 1, "TIME")
                && is(sig, j + 2, "ZONE")) {
            name.append(' ').append(upper(sig, j, j + 3));
            j += 3;
        }
        boolean array = false;
        while (isSymbol(sig, j, "[")) {
            array = true;
            j = afterClosing(sig, j);
        }
        if (is(sig, j, "ARRAY")) {
            array = true;
            j++;
            if (isSymbol(sig, j, "[")) {
                j = afterClosing(sig, j);
            }
        }
        return new TypeRef(name.toString(), args, array, j);
    }
}

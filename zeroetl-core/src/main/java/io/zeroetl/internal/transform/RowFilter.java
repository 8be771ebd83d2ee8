package io.zeroetl.internal.transform;

import io.zeroetl.RowView;
import io.zeroetl.change.Column;
import io.zeroetl.change.TableSchema;
import java.math.BigDecimal;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A row filter written as a small SQL-like expression, parsed and type-checked against a table's columns,
 * then evaluated with SQL's three-valued logic (a row passes only when the expression is true).
 */
public final class RowFilter {
    /** What a column or literal holds, for type checks and comparison. */
    enum Kind {
        NUMBER("number"),
        STRING("string"),
        BOOLEAN("boolean"),
        DATE("date"),
        DATE_TIME("date and time"),
        POINT_IN_TIME("point in time"),
        NULL("null"),
        OTHER("value of another type");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /** An expression node: evaluates to TRUE, FALSE or null (unknown), or to a value for operands. */
    private interface Node {
        Object eval(RowView row);
    }

    private record Operand(Kind kind, Node node) {}

    private final String text;
    private final TableSchema schema;
    private final List<String> tokens;
    private int pos;
    private final Node root;

    private RowFilter(String text, TableSchema schema) {
        this.text = text;
        this.schema = schema;
        this.tokens = tokenize(text);
        this.root = or();
        if (pos < tokens.size()) {
            throw error("unexpected '" + tokens.get(pos) + "'");
        }
    }

    /**
     * Parses {@code expression} over {@code schema}'s columns.
     *
     * @throws IllegalArgumentException naming what is wrong (syntax, unknown column, type mismatch)
     */
    public static RowFilter parse(String expression, TableSchema schema) {
        return new RowFilter(expression, schema);
    }

    /** Whether the row passes (the expression is true). */
    public boolean test(RowView row) {
        return Boolean.TRUE.equals(root.eval(row));
    }

    private Node or() {
        Node left = and();
        while (accept("OR")) {
            Node a = left;
            Node b = and();
            left = row -> {
                Object x = a.eval(row);
                if (Boolean.TRUE.equals(x)) {
                    return true;
                }
                Object y = b.eval(row);
                return Boolean.TRUE.equals(y) ? Boolean.TRUE : x == null || y == null ? null : Boolean.FALSE;
            };
        }
        return left;
    }

    private Node and() {
        Node left = not();
        while (accept("AND")) {
            Node a = left;
            Node b = not();
            left = row -> {
                Object x = a.eval(row);
                if (Boolean.FALSE.equals(x)) {
                    return false;
                }
                Object y = b.eval(row);
                return Boolean.FALSE.equals(y) ? Boolean.FALSE : x == null || y == null ? null : Boolean.TRUE;
            };
        }
        return left;
    }

    private Node not() {
        if (accept("NOT")) {
            Node inner = not();
            return row -> {
                Object x = inner.eval(row);
                return x == null ? null : !(Boolean) x;
            };
        }
        return predicate();
    }

    private Node predicate() {
        if (peek("(")) {
            expect("(");
            Node inner = or();
            expect(")");
            return inner;
        }
        Operand left = operand();
        if (accept("IS")) {
            boolean negated = accept("NOT");
            expect("NULL");
            return row -> (left.node().eval(row) == null) != negated;
        }
        boolean negated = accept("NOT");
        if (accept("IN")) {
            expect("(");
            List<Operand> items = new ArrayList<>();
            do {
                Operand item = operand();
                check(left, item);
                items.add(item);
            } while (accept(","));
            expect(")");
            return row -> {
                Object v = left.node().eval(row);
                if (v == null) {
                    return null;
                }
                boolean unknown = false;
                for (Operand item : items) {
                    Integer c = FilterValues.compare(left.kind(), v, item.node().eval(row));
                    if (c == null) {
                        unknown = true;
                    } else if (c == 0) {
                        return !negated;
                    }
                }
                return unknown ? null : negated;
            };
        }
        if (accept("LIKE")) {
            Operand pattern = operand();
            if (left.kind() != Kind.STRING || pattern.kind() != Kind.STRING) {
                throw error("LIKE needs a text column and a 'pattern'");
            }
            return row -> {
                Object v = left.node().eval(row);
                Object p = pattern.node().eval(row);
                return v == null || p == null ? null : FilterValues.like(v.toString(), p.toString()) != negated;
            };
        }
        if (accept("BETWEEN")) {
            Operand low = operand();
            expect("AND");
            Operand high = operand();
            check(left, low);
            check(left, high);
            return row -> {
                Object v = left.node().eval(row);
                Integer a = FilterValues.compare(left.kind(), v, low.node().eval(row));
                Integer b = FilterValues.compare(left.kind(), v, high.node().eval(row));
                return a == null || b == null ? null : (a >= 0 && b <= 0) != negated;
            };
        }
        if (negated) {
            throw error("NOT must be followed by IN, LIKE or BETWEEN here");
        }
        String op = pos < tokens.size() ? tokens.get(pos) : "";
        if (!List.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(op)) {
            if (left.kind() == Kind.BOOLEAN) {
                return left.node();
            }
            throw error("expected a comparison after " + (pos > 0 ? tokens.get(pos - 1) : "the start"));
        }
        pos++;
        Operand right = operand();
        check(left, right);
        return row -> {
            Integer c = FilterValues.compare(
                    left.kind() == Kind.NULL ? right.kind() : left.kind(),
                    left.node().eval(row),
                    right.node().eval(row));
            if (c == null) {
                return null;
            }
            return switch (op) {
                case "=" -> c == 0;
                case "<>", "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        };
    }

    private Operand operand() {
        if (pos >= tokens.size()) {
            throw error("the expression ends too early");
        }
        String t = tokens.get(pos++);
        String upper = t.toUpperCase(Locale.ROOT);
        if (t.startsWith("'")) {
            String value = t.substring(1, t.length() - 1).replace("''", "'");
            return new Operand(Kind.STRING, row -> value);
        }
        if (Character.isDigit(t.charAt(0)) || t.startsWith("-") && t.length() > 1 || t.startsWith(".")) {
            BigDecimal value;
            try {
                value = new BigDecimal(t);
            } catch (NumberFormatException e) {
                throw error("'" + t + "' is not a number");
            }
            return new Operand(Kind.NUMBER, row -> value);
        }
        switch (upper) {
            case "TRUE":
                return new Operand(Kind.BOOLEAN, row -> Boolean.TRUE);
            case "FALSE":
                return new Operand(Kind.BOOLEAN, row -> Boolean.FALSE);
            case "NULL":
                return new Operand(Kind.NULL, row -> null);
            default:
                break;
        }
        String name = t.startsWith("\"") ? t.substring(1, t.length() - 1).replace("\"\"", "\"") : t;
        Column column = schema.columns().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .or(() -> schema.columns().stream()
                        .filter(c -> c.name().equalsIgnoreCase(name) && !t.startsWith("\""))
                        .findFirst())
                .orElseThrow(() -> error("no column " + name + " in " + schema.table()));
        return new Operand(FilterValues.kind(column), row -> FilterValues.normalize(row.get(column.name())));
    }

    /** Checks that two operands compare, turning a 'text' literal into a date or timestamp where needed. */
    private void check(Operand column, Operand other) {
        if (column.kind() == Kind.NULL || other.kind() == Kind.NULL || column.kind() == other.kind()) {
            return;
        }
        if (other.kind() == Kind.STRING
                && (column.kind() == Kind.DATE
                        || column.kind() == Kind.DATE_TIME
                        || column.kind() == Kind.POINT_IN_TIME)) {
            String literal = (String) other.node().eval(c -> null);
            try {
                FilterValues.temporal(column.kind(), literal);
            } catch (DateTimeParseException e) {
                throw error("'" + literal + "' is not a " + column.kind()
                        + " (write e.g. '2024-01-31', '2024-01-31 10:00:00' or '2024-01-31T10:00:00Z')");
            }
            return;
        }
        throw error("cannot compare " + column.kind() + " with " + other.kind());
    }

    private boolean peek(String token) {
        return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(token);
    }

    private boolean accept(String token) {
        if (peek(token)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw error(
                    "expected " + token + (pos < tokens.size() ? " before '" + tokens.get(pos) + "'" : " at the end"));
        }
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("row filter \"" + text + "\": " + problem);
    }

    private List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                int j = i + 1;
                while (true) {
                    if (j >= s.length()) {
                        throw error("unterminated " + (c == '\'' ? "string" : "quoted name"));
                    }
                    if (s.charAt(j) == c) {
                        if (j + 1 < s.length() && s.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                out.add(s.substring(i, j + 1));
                i = j + 1;
            } else if ("<>!=".indexOf(c) >= 0) {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=")) {
                    out.add(two);
                    i += 2;
                } else if (c == '!') {
                    throw error("unexpected '!'");
                } else {
                    out.add(String.valueOf(c));
                    i++;
                }
            } else if (c == '(' || c == ')' || c == ',') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '-' || c == '.' || Character.isLetterOrDigit(c) || c == '_') {
                int j = i + 1;
                boolean number = c == '-' || c == '.' || Character.isDigit(c);
                while (j < s.length()
                        && (Character.isLetterOrDigit(s.charAt(j))
                                || s.charAt(j) == '_'
                                || number
                                        && (s.charAt(j) == '.'
                                                || (s.charAt(j) == '-' || s.charAt(j) == '+')
                                                        && (s.charAt(j - 1) == 'e' || s.charAt(j - 1) == 'E')))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else {
                throw error("unexpected '" + c + "'");
            }
        }
        return out;
    }
}

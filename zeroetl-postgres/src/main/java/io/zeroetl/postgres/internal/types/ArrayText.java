package io.zeroetl.postgres.internal.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parses PostgreSQL's array output ({@code {1,NULL,"a b"}}, nested for more dimensions, optionally with
 * a {@code [lo:hi]=} prefix) into lists, decoding each element with the element type's decoder.
 */
final class ArrayText {
    private final String text;
    private final char delimiter;
    private final ValueDecoder element;
    private int pos;

    private ArrayText(String text, char delimiter, ValueDecoder element) {
        this.text = text;
        this.delimiter = delimiter;
        this.element = element;
    }

    static List<Object> parse(String text, char delimiter, ValueDecoder element) {
        String body = text;
        if (body.startsWith("[")) {
            body = body.substring(body.indexOf('=') + 1);
        }
        ArrayText parser = new ArrayText(body, delimiter, element);
        return parser.array();
    }

    private List<Object> array() {
        expect('{');
        List<Object> items = new ArrayList<>();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            char c = peek();
            if (c == '{') {
                items.add(array());
            } else if (c == '"') {
                items.add(element.decode(quoted()));
            } else {
                String raw = unquoted();
                items.add(raw.equals("NULL") ? null : element.decode(raw));
            }
            char next = text.charAt(pos++);
            if (next == '}') {
                return Collections.unmodifiableList(items);
            }
            if (next != delimiter) {
                throw new IllegalArgumentException("bad array literal at " + pos + ": " + text);
            }
        }
    }

    private String quoted() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = text.charAt(pos++);
            if (c == '\\') {
                sb.append(text.charAt(pos++));
            } else if (c == '"') {
                return sb.toString();
            } else {
                sb.append(c);
            }
        }
    }

    private String unquoted() {
        int start = pos;
        while (text.charAt(pos) != delimiter && text.charAt(pos) != '}') {
            pos++;
        }
        return text.substring(start, pos).trim();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (text.charAt(pos) != c) {
            throw new IllegalArgumentException("bad array literal, expected '" + c + "' at " + pos + ": " + text);
        }
        pos++;
    }
}

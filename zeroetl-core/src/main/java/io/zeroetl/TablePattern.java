package io.zeroetl;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A glob or regular expression over {@code schema.table}, for table selection. Immutable. */
final class TablePattern {
    private final String text;
    private final Pattern pattern;

    private TablePattern(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    static TablePattern of(String text, String option) {
        if (text == null || text.isEmpty()) {
            throw ZeroEtlException.configuration(option, "a pattern must not be empty");
        }
        try {
            if (text.length() > 2 && text.startsWith("/") && text.endsWith("/")) {
                return new TablePattern(text, Pattern.compile(text.substring(1, text.length() - 1)));
            }
            StringBuilder regex = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        regex.append('"');
                        i++;
                    } else {
                        quoted = !quoted;
                    }
                } else if (!quoted && c == '*') {
                    regex.append(".*");
                } else if (!quoted && c == '?') {
                    regex.append('.');
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            if (quoted) {
                throw ZeroEtlException.configuration(option, "'" + text + "' has an unclosed quote");
            }
            return new TablePattern(text, Pattern.compile(regex.toString()));
        } catch (PatternSyntaxException e) {
            throw ZeroEtlException.configuration(
                    option, "'" + text + "' is not a valid pattern: " + e.getDescription());
        }
    }

    boolean matches(TableId table) {
        return pattern.matcher(table.schema() + "." + table.table()).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}

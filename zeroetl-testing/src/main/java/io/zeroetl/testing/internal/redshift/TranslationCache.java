package io.zeroetl.testing.internal.redshift;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Remembers translations so a statement sent again (a client's prepared INSERT of the same shape, its
 * metadata queries) is translated once: keyed by the text and the session flags the translation reads;
 * statements whose translation reads more than that (COPY reads S3, MERGE reads the catalog) are never kept.
 * Least recently used entries go once the kept text passes a bound. Thread-safe.
 */
final class TranslationCache {
    private record Key(String sql, boolean caseSensitive, boolean inTransaction) {}

    private final long maxChars;
    private long chars;
    private final LinkedHashMap<Key, Translation> entries = new LinkedHashMap<>(256, 0.75f, true);

    TranslationCache(long maxChars) {
        this.maxChars = maxChars;
    }

    Translation translate(String sql, boolean caseSensitive, boolean inTransaction, Supplier<Translation> translate) {
        if (!cacheable(sql)) {
            return translate.get();
        }
        Key key = new Key(sql, caseSensitive, inTransaction);
        synchronized (this) {
            Translation known = entries.get(key);
            if (known != null) {
                return known;
            }
        }
        Translation t = translate.get();
        synchronized (this) {
            if (entries.put(key, t) == null) {
                chars += size(sql, t);
            }
            var it = entries.entrySet().iterator();
            while (chars > maxChars && it.hasNext()) {
                Map.Entry<Key, Translation> oldest = it.next();
                chars -= size(oldest.getKey().sql(), oldest.getValue());
                it.remove();
            }
        }
        return t;
    }

    /** Whether the statement's first word (after white space and comments) is neither COPY nor MERGE. */
    static boolean cacheable(String sql) {
        String first = firstWord(sql);
        return !first.equalsIgnoreCase("COPY") && !first.equalsIgnoreCase("MERGE");
    }

    /** The statement's first word, after white space, comments and opening parentheses. */
    static String firstWord(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                break;
            }
        }
        int end = i;
        while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        return sql.substring(i, end);
    }

    private static long size(String sql, Translation t) {
        return sql.length() + (t.sql() == null ? 0 : t.sql().length()) + 64;
    }
}

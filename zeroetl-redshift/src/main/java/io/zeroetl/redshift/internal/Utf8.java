package io.zeroetl.redshift.internal;

/** UTF-8 sizes of Java strings, counted without encoding them. */
public final class Utf8 {
    private Utf8() {}

    /** The UTF-8 size of {@code s} (0 for null). */
    public static long bytes(String s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // a surrogate pair is 4 bytes: 2 for each half
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /**
     * The UTF-8 size of {@code s}, or its length when even 3 bytes a character stays within {@code limit} (so
     * the answer is at most {@code limit} exactly when the size is): most values are far below any limit.
     */
    public static long bytesOver(String s, long limit) {
        if (s == null) {
            return 0;
        }
        return 3L * s.length() <= limit ? s.length() : bytes(s);
    }
}

package io.zeroetl.postgres.internal.types;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Text the source sent as bytes. A UTF-8 database (or any other, converted by the server for a UTF-8 client)
 * sends valid UTF-8 only; a SQL_ASCII database, read as its raw bytes, may send anything. Bytes that are not
 * UTF-8 must never be changed silently into replacement characters: {@link #malformed} tells them.
 */
public final class Utf8Text {
    private Utf8Text() {}

    /** {@return the text of {@code length} bytes at {@code offset}, malformed sequences as U+FFFD} */
    public static String decode(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code decoded} (from those bytes by {@link #decode}) replaced bytes that are not UTF-8; cheap when
     * it did not (the text holds no replacement character, the common case).
     */
    public static boolean malformed(String decoded, byte[] bytes, int offset, int length) {
        if (decoded.indexOf('\uFFFD') < 0) {
            return false;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, offset, length));
            return false;
        } catch (CharacterCodingException e) {
            return true;
        }
    }

    /** The reason an unreadable value of {@code column} gives. */
    public static String reason(String column) {
        return "column " + column + " holds bytes that are not UTF-8 (the source database's encoding is SQL_ASCII,"
                + " which stores any bytes); they are never replaced silently";
    }
}

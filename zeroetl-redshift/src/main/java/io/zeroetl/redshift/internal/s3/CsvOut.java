package io.zeroetl.redshift.internal.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A staged file's CSV as UTF-8 bytes, buffered without locks and encoded once per value ({@code String.getBytes},
 * which the JVM does in bulk), instead of character by character through a {@code Writer}: the staging of every
 * row goes through here. Every value is quoted, a quote inside doubled (RFC 4180, copy-parameters-data-format).
 * Not thread-safe; one file, one writer.
 */
final class CsvOut {
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;

    CsvOut(OutputStream out) {
        this.out = out;
    }

    /** Writes one byte (a delimiter, a line end). */
    void put(char c) throws IOException {
        if (pos == buffer.length) {
            flushBuffer();
        }
        buffer[pos++] = (byte) c;
    }

    /** Writes {@code bytes} as they are (the null marker); returns how many. */
    int raw(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
        return bytes.length;
    }

    /** Writes {@code value} quoted, its quotes doubled; returns the bytes written. */
    int quoted(String value) throws IOException {
        int length = value.length();
        if (length + 2 <= buffer.length - pos) {
            // most values are ASCII without quotes: copied as they are, with no array of their own
            int at = pos + 1;
            int i = 0;
            for (; i < length; i++) {
                char c = value.charAt(i);
                if (c >= 0x80 || c == '"') {
                    break;
                }
                buffer[at + i] = (byte) c;
            }
            if (i == length) {
                buffer[pos] = '"';
                buffer[at + length] = '"';
                pos = at + length + 1;
                return length + 2;
            }
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        put('"');
        int written = bytes.length + 2;
        int from = 0;
        if (value.indexOf('"') >= 0) {
            // a quote byte is never part of a multi-byte UTF-8 sequence
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '"') {
                    write(bytes, from, i + 1 - from);
                    put('"');
                    from = i + 1;
                    written++;
                }
            }
        }
        write(bytes, from, bytes.length - from);
        put('"');
        return written;
    }

    private void write(byte[] bytes, int from, int length) throws IOException {
        if (length > buffer.length - pos) {
            flushBuffer();
            if (length > buffer.length) {
                out.write(bytes, from, length);
                return;
            }
        }
        System.arraycopy(bytes, from, buffer, pos, length);
        pos += length;
    }

    private void flushBuffer() throws IOException {
        if (pos > 0) {
            out.write(buffer, 0, pos);
            pos = 0;
        }
    }

    /** Writes what is buffered and closes the stream (finishing the gzip member). */
    void close() throws IOException {
        try {
            flushBuffer();
        } finally {
            out.close();
        }
    }
}

package io.zeroetl.testing.internal.redshift;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** PostgreSQL wire-protocol (v3) framing. */
final class Wire {
    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;
    static final int PROTOCOL_3 = 196608;

    /** A typed message: its type byte and body (without the length). */
    record Message(char type, byte[] body) {}

    private Wire() {}

    /** An untyped startup-phase packet's body (after the length word). */
    static byte[] readStartup(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 8 || length > 10_000) {
            throw new IOException("bad startup packet length " + length);
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return body;
    }

    /** The next typed message, or null at end of stream. */
    static Message read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 4) {
            throw new IOException("bad message length " + length);
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Message((char) type, body);
    }

    static void write(OutputStream out, char type, byte[] body) throws IOException {
        byte[] frame = new byte[5 + body.length];
        frame[0] = (byte) type;
        ByteBuffer.wrap(frame, 1, 4).putInt(body.length + 4);
        System.arraycopy(body, 0, frame, 5, body.length);
        out.write(frame);
    }

    static void writeStartup(OutputStream out, byte[] body) throws IOException {
        byte[] frame = new byte[4 + body.length];
        ByteBuffer.wrap(frame, 0, 4).putInt(body.length + 4);
        System.arraycopy(body, 0, frame, 4, body.length);
        out.write(frame);
    }

    /** Builds message bodies. */
    static final class Body {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Body int32(int v) {
            bytes.write(v >>> 24);
            bytes.write(v >>> 16);
            bytes.write(v >>> 8);
            bytes.write(v);
            return this;
        }

        Body int16(int v) {
            bytes.write(v >>> 8);
            bytes.write(v);
            return this;
        }

        Body cstring(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            bytes.write(b, 0, b.length);
            bytes.write(0);
            return this;
        }

        Body raw(byte[] b) {
            bytes.write(b, 0, b.length);
            return this;
        }

        Body raw(byte[] b, int from, int to) {
            bytes.write(b, from, to - from);
            return this;
        }

        Body byte1(int b) {
            bytes.write(b);
            return this;
        }

        byte[] build() {
            return bytes.toByteArray();
        }
    }

    /** Reads message bodies. */
    static final class Reader {
        private final byte[] body;
        int pos;

        Reader(byte[] body) {
            this.body = body;
        }

        int int32() throws EOFException {
            need(4);
            int v = ByteBuffer.wrap(body, pos, 4).getInt();
            pos += 4;
            return v;
        }

        int int16() throws EOFException {
            need(2);
            int v = ByteBuffer.wrap(body, pos, 2).getShort() & 0xFFFF;
            pos += 2;
            return v;
        }

        String cstring() throws EOFException {
            int end = pos;
            while (end < body.length && body[end] != 0) {
                end++;
            }
            if (end >= body.length) {
                throw new EOFException("unterminated string");
            }
            String s = new String(body, pos, end - pos, StandardCharsets.UTF_8);
            pos = end + 1;
            return s;
        }

        byte[] rest() {
            byte[] r = new byte[body.length - pos];
            System.arraycopy(body, pos, r, 0, r.length);
            pos = body.length;
            return r;
        }

        boolean atEnd() {
            return pos >= body.length;
        }

        private void need(int n) throws EOFException {
            if (pos + n > body.length) {
                throw new EOFException("message too short");
            }
        }
    }

    /** An ErrorResponse body with severity, SQLSTATE, message and optional detail. */
    static byte[] error(String severity, String sqlState, String message, String detail) {
        Body b = new Body()
                .byte1('S')
                .cstring(severity)
                .byte1('V')
                .cstring(severity)
                .byte1('C')
                .cstring(sqlState)
                .byte1('M')
                .cstring(message);
        if (detail != null) {
            b.byte1('D').cstring(detail);
        }
        return b.byte1(0).build();
    }
}

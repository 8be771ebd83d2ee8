package io.zeroetl.postgres.internal.pgoutput;

import io.zeroetl.ErrorCode;
import io.zeroetl.ZeroEtlException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Reading pgoutput's primitive fields: NUL-terminated strings, PostgreSQL timestamps, message tags. */
final class Wire {
    /** PostgreSQL timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private Wire() {}

    static Instant timestamp(long micros) {
        return Instant.ofEpochSecond(
                POSTGRES_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    static String cstring(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) {
            end++;
        }
        String s = new String(b.array(), b.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
        b.position(end + 1);
        return s;
    }

    static void expect(ByteBuffer b, char c) {
        if (b.get() != c) {
            throw malformed("expected '" + c + "'");
        }
    }

    static ZeroEtlException malformed(String what) {
        return new ZeroEtlException(ErrorCode.INTERNAL, "Malformed pgoutput message: " + what);
    }
}

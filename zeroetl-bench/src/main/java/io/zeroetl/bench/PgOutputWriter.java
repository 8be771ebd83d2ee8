package io.zeroetl.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pgoutput messages (protocol v1) for the decoding benchmark: zeroetl itself only reads them. */
public final class PgOutputWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    private PgOutputWriter(char type) {
        out.write(type);
    }

    public static PgOutputWriter begin(long finalLsn, long micros, int xid) {
        return new PgOutputWriter('B').int64(finalLsn).int64(micros).int32(xid);
    }

    public static PgOutputWriter commit(long commitLsn, long endLsn, long micros) {
        return new PgOutputWriter('C').int8(0).int64(commitLsn).int64(endLsn).int64(micros);
    }

    public static PgOutputWriter relation(int relid, String schema, String table, char identity) {
        return new PgOutputWriter('R')
                .int32(relid)
                .cstring(schema)
                .cstring(table)
                .int8(identity);
    }

    public static PgOutputWriter insert(int relid, int columns) {
        return new PgOutputWriter('I').int32(relid).int8('N').int16(columns);
    }

    public static PgOutputWriter truncate(int[] relids) {
        PgOutputWriter w = new PgOutputWriter('T').int32(relids.length).int8(0);
        for (int relid : relids) {
            w.int32(relid);
        }
        return w;
    }

    public PgOutputWriter column(int flags, String name, int typeOid, int typmod) {
        return int8(flags).cstring(name).int32(typeOid).int32(typmod);
    }

    public PgOutputWriter nullValue() {
        return int8('n');
    }

    public PgOutputWriter textValue(byte[] utf8, int from, int length) {
        int8('t').int32(length);
        out.write(utf8, from, length);
        return this;
    }

    public PgOutputWriter int16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    private PgOutputWriter int8(int v) {
        out.write(v);
        return this;
    }

    private PgOutputWriter int32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    private PgOutputWriter int64(long v) {
        return int32((int) (v >>> 32)).int32((int) v);
    }

    private PgOutputWriter cstring(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write(0);
        return this;
    }

    private PgOutputWriter bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }
}

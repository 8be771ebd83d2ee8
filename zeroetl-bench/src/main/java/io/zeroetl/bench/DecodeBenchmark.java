package io.zeroetl.bench;

import io.zeroetl.change.ChangeEvent;
import io.zeroetl.postgres.internal.pgoutput.PgOutputDecoder;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding pgoutput Insert and Update messages of both table shapes (the seed's 4-column {@code orders},
 * the 30-column {@code wide} with a 2 KB text) on one core: messages per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecodeBenchmark {
    /** Which table shape. */
    @Param({"orders", "wide"})
    public String shape;

    private PgOutputDecoder decoder;
    private ByteBuffer insert;
    private ByteBuffer update;

    @Setup(Level.Trial)
    public void setUp() {
        decoder = new PgOutputDecoder(new PgTypes(oid -> null));
        boolean wide = shape.equals("wide");
        int columns = wide ? 30 : 4;
        PgOutputWriter relation =
                PgOutputWriter.relation(1, "public", shape, 'd').int16(columns);
        for (int i = 0; i < columns; i++) {
            relation.column(i == 0 ? 1 : 0, "c" + i, i == 0 ? 20 : wide && i == 16 ? 25 : i % 3 == 0 ? 1700 : 25, -1);
        }
        decoder.decode(message(relation.bytes()), e -> {});
        byte[][] values = new byte[columns][];
        for (int i = 0; i < columns; i++) {
            String v = i == 0 ? "123456" : wide && i == 16 ? "x".repeat(2048) : i % 3 == 0 ? "12345.67" : "value-" + i;
            values[i] = v.getBytes(StandardCharsets.UTF_8);
        }
        insert = message(tuple('I', values));
        update = message(tuple('U', values));
    }

    /** Insert or Update ('I'/'U'): relation id, 'N', then every column as text. */
    private static byte[] tuple(char kind, byte[][] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer head = ByteBuffer.allocate(8);
        head.put((byte) kind).putInt(1).put((byte) 'N').putShort((short) values.length);
        out.write(head.array(), 0, head.position());
        for (byte[] v : values) {
            ByteBuffer col = ByteBuffer.allocate(5);
            col.put((byte) 't').putInt(v.length);
            out.write(col.array(), 0, 5);
            out.write(v, 0, v.length);
        }
        return out.toByteArray();
    }

    private static ByteBuffer message(byte[] bytes) {
        return ByteBuffer.wrap(bytes);
    }

    @Benchmark
    public void decodeInsert(Blackhole bh) {
        insert.rewind();
        decoder.decode(insert, (Consumer<ChangeEvent>) bh::consume);
    }

    @Benchmark
    public void decodeUpdate(Blackhole bh) {
        update.rewind();
        decoder.decode(update, (Consumer<ChangeEvent>) bh::consume);
    }
}

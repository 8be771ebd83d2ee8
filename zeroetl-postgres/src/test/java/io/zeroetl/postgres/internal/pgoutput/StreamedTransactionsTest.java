package io.zeroetl.postgres.internal.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A transaction PostgreSQL streams in progress (protocol version 2) is handed on after its Stream Commit one
 * kept message at a time, never decoded whole into memory, with a rolled-back subtransaction's changes left out.
 */
class StreamedTransactionsTest {
    private static final int XID = 700;
    private static final int SUBXID = 701;
    private static final int RELID = 16400;

    private final PgOutputDecoder decoder = new PgOutputDecoder(new PgTypes(oid -> null));

    @Test
    void aStreamCommitHandsOnItsBeginThenOneKeptChangePerStepThenItsCommit() throws IOException {
        List<ChangeEvent> out = new ArrayList<>();
        decoder.decode(message(w -> w.writeByte('S'), w -> w.writeInt(XID), w -> w.writeByte(1)), out::add);
        decoder.decode(relation(), out::add);
        for (int i = 1; i <= 1000; i++) {
            decoder.decode(insert(XID, i), out::add);
        }
        for (int i = 5000; i < 5010; i++) {
            decoder.decode(insert(SUBXID, i), out::add);
        }
        decoder.decode(message(w -> w.writeByte('E')), out::add);
        decoder.decode(message(w -> w.writeByte('A'), w -> w.writeInt(XID), w -> w.writeInt(SUBXID)), out::add);
        assertThat(out).as("nothing before the transaction commits").isEmpty();

        decoder.decode(
                message(
                        w -> w.writeByte('c'),
                        w -> w.writeInt(XID),
                        w -> w.writeByte(0),
                        w -> w.writeLong(0x5000),
                        w -> w.writeLong(0x5010),
                        w -> w.writeLong(0)),
                out::add);

        assertThat(out)
                .as("only the Begin at the Stream Commit")
                .singleElement()
                .isInstanceOf(BeginEvent.class);
        assertThat(decoder.replaying()).isTrue();
        int steps = 0;
        while (decoder.replaying()) {
            int before = out.size();
            decoder.replayNext(out::add);
            assertThat(out.size() - before).as("one kept message a step").isEqualTo(1);
            steps++;
        }
        assertThat(steps).as("the relation, 1000 inserts and the commit").isEqualTo(1002);
        assertThat(out.get(1)).isInstanceOf(RelationEvent.class);
        assertThat(out.stream().filter(InsertEvent.class::isInstance))
                .as("the rolled-back subtransaction's rows are left out")
                .hasSize(1000)
                .allSatisfy(e ->
                        assertThat((Integer) ((InsertEvent) e).row().get(0)).isLessThanOrEqualTo(1000));
        assertThat(out.get(out.size() - 1))
                .isInstanceOfSatisfying(
                        CommitEvent.class, c -> assertThat(c.endLsn()).isEqualTo(Lsn.of(0x5010)));
    }

    @Test
    void aNewStreamForgetsAReplayCutOff() throws IOException {
        List<ChangeEvent> out = new ArrayList<>();
        decoder.decode(message(w -> w.writeByte('S'), w -> w.writeInt(XID), w -> w.writeByte(1)), out::add);
        decoder.decode(relation(), out::add);
        decoder.decode(insert(XID, 1), out::add);
        decoder.decode(message(w -> w.writeByte('E')), out::add);
        decoder.decode(
                message(
                        w -> w.writeByte('c'),
                        w -> w.writeInt(XID),
                        w -> w.writeByte(0),
                        w -> w.writeLong(0x5000),
                        w -> w.writeLong(0x5010),
                        w -> w.writeLong(0)),
                out::add);

        decoder.reset();

        assertThat(decoder.replaying()).isFalse();
        assertThat(decoder.inStreamSegment()).isFalse();
    }

    private interface Part {
        void write(DataOutputStream w) throws IOException;
    }

    private static ByteBuffer message(Part... parts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream w = new DataOutputStream(bytes);
        for (Part part : parts) {
            part.write(w);
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /** A Relation inside the segment: public.big (id int4 key). */
    private static ByteBuffer relation() throws IOException {
        return message(
                w -> w.writeByte('R'),
                w -> w.writeInt(XID),
                w -> w.writeInt(RELID),
                w -> cstring(w, "public"),
                w -> cstring(w, "big"),
                w -> w.writeByte('d'),
                w -> w.writeShort(1),
                w -> w.writeByte(1),
                w -> cstring(w, "id"),
                w -> w.writeInt(23),
                w -> w.writeInt(-1));
    }

    private static ByteBuffer insert(int xid, int id) throws IOException {
        byte[] text = Integer.toString(id).getBytes(StandardCharsets.UTF_8);
        return message(
                w -> w.writeByte('I'),
                w -> w.writeInt(xid),
                w -> w.writeInt(RELID),
                w -> w.writeByte('N'),
                w -> w.writeShort(1),
                w -> w.writeByte('t'),
                w -> w.writeInt(text.length),
                w -> w.write(text));
    }

    private static void cstring(DataOutputStream w, String s) throws IOException {
        w.write(s.getBytes(StandardCharsets.UTF_8));
        w.writeByte(0);
    }
}

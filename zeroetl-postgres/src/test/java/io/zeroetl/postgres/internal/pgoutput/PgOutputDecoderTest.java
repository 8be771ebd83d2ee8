package io.zeroetl.postgres.internal.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.postgres.internal.types.PgTypes;
import io.zeroetl.spi.RawMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {
    private final PgOutputDecoder decoder = new PgOutputDecoder(new PgTypes(oid -> null));

    @Test
    void aDdlMessageThatDoesNotDecodeIsSkippedNotFatal() {
        List<ChangeEvent> out = new ArrayList<>();

        decoder.decode(message('M', 1, 0x10, "zeroetl_ddl", "{not json"), out::add);

        assertThat(out).isEmpty();
    }

    @Test
    void copyProgressMessagesBecomeSnapshotEvents() {
        List<ChangeEvent> out = new ArrayList<>();

        decoder.decode(RawMessage.data(Lsn.of(1), Lsn.of(1),
                ByteBuffer.wrap(PgOutputWriter.snapshot(1, 1, 42, 40, "public", "orders").bytes())), out::add);

        assertThat(out).singleElement().isEqualTo(new SnapshotEvent(io.zeroetl.TableId.of("public", "orders"),
                SnapshotEvent.Phase.FINISHED, 42, 40));
    }

    private static RawMessage message(char type, int flags, long lsn, String prefix, String content) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] c = content.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 1 + 8 + p.length + 1 + 4 + c.length);
        b.put((byte) type).put((byte) flags).putLong(lsn).put(p).put((byte) 0).putInt(c.length).put(c).flip();
        return RawMessage.data(Lsn.of(lsn), Lsn.of(lsn), b);
    }
}

package io.zeroetl.postgres.internal.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.MessageEvent;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.postgres.internal.ddl.DdlMessages;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {
    private final PgOutputDecoder decoder = new PgOutputDecoder(new PgTypes(oid -> null));

    @Test
    void aDdlMessageThatDoesNotDecodeIsSkippedAndCountedNotFatal() {
        List<ChangeEvent> out = new ArrayList<>();

        decoder.decode(message('M', 1, 0x10, "zeroetl_ddl", "{not json"), out::add);

        assertThat(out).isEmpty();
        assertThat(decoder.rejectedMessages()).isEqualTo(1);
    }

    @Test
    void onlyADdlMessageSignedWithTheTriggersKeyIsTrusted() throws Exception {
        byte[] raw = new byte[64];
        raw[0] = 7;
        byte[] inner = raw.clone();
        byte[] outer = raw.clone();
        for (int i = 0; i < 64; i++) {
            inner[i] ^= 0x36;
            outer[i] ^= 0x5c;
        }
        DdlMessages.Key key = new DdlMessages.Key(inner, outer);
        PgOutputDecoder trusting = new PgOutputDecoder(
                new PgTypes(oid -> null),
                relid -> Set.of(),
                () -> key,
                table -> Optional.empty(),
                () -> null,
                new java.util.concurrent.atomic.AtomicLong());
        String json = "{\"tag\": \"ALTER TABLE\", \"schema\": \"public\", \"table\": \"t\", \"identity\": \"d\","
                + " \"statement\": \"\", \"renames\": [], \"columns\": [{\"name\": \"id\", \"type\": 23,"
                + " \"typmod\": -1, \"attnum\": 1, \"key\": true}]}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(raw, "HmacSHA256"));
        String signed = HexFormat.of().formatHex(mac.doFinal(json.getBytes(StandardCharsets.UTF_8))) + ":" + json;
        List<ChangeEvent> out = new ArrayList<>();

        trusting.decode(message('M', 1, 0x10, "zeroetl_ddl", signed), out::add);
        trusting.decode(message('M', 1, 0x11, "zeroetl_ddl", signed.replace("\"t\"", "\"u\"")), out::add);
        trusting.decode(message('M', 1, 0x12, "zeroetl_ddl", json), out::add);

        assertThat(out)
                .singleElement()
                .isInstanceOfSatisfying(
                        SchemaChangeEvent.class,
                        e -> assertThat(e.table()).isEqualTo(io.zeroetl.TableId.of("public", "t")));
        assertThat(trusting.rejectedMessages()).isEqualTo(2);
    }

    @Test
    void aMessageInTheStreamCannotPassForCopyProgressWhateverItsPrefix() {
        List<ChangeEvent> out = new ArrayList<>();

        decoder.decode(message('M', 1, 0x10, "zeroetl_snapshot", "\u0001junk"), out::add);

        assertThat(out).singleElement().isInstanceOf(MessageEvent.class);
    }

    private static ByteBuffer message(char type, int flags, long lsn, String prefix, String content) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] c = content.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 1 + 8 + p.length + 1 + 4 + c.length);
        b.put((byte) type)
                .put((byte) flags)
                .putLong(lsn)
                .put(p)
                .put((byte) 0)
                .putInt(c.length)
                .put(c)
                .flip();
        return b;
    }
}

package io.zeroetl.redshift.internal.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvOutTest {
    /**
     * Every value comes out as RFC 4180 wants it in UTF-8 (quoted, quotes doubled), whatever its characters and
     * wherever it falls against the buffer's end, and each call says how many bytes it wrote.
     */
    @Test
    void generatedValuesAreQuotedUtf8WithTheirQuotesDoubledAcrossBufferEnds() throws Exception {
        String[] pieces = {"a", "Z", "0", " ", ",", "\n", "\"", "é", "ß", "€", "日本", "\uD83D\uDE00", "\u007F", "\u0080"
        };
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            CsvOut out = new CsvOut(sink);
            long counted = 0;
            for (int v = 0; v < 2_000; v++) {
                int length = random.nextInt(50) == 0 ? random.nextInt(150_000) : random.nextInt(40);
                boolean ascii = random.nextBoolean();
                StringBuilder value = new StringBuilder();
                while (value.length() < length) {
                    value.append(ascii ? pieces[random.nextInt(5)] : pieces[random.nextInt(pieces.length)]);
                }
                String s = value.toString();
                counted += out.quoted(s);
                out.put(',');
                counted++;
                expected.writeBytes(("\"" + s.replace("\"", "\"\"") + "\",").getBytes(StandardCharsets.UTF_8));
            }
            out.close();
            assertThat(sink.toByteArray()).as("seed %d", seed).isEqualTo(expected.toByteArray());
            assertThat(counted).as("bytes counted, seed %d", seed).isEqualTo(expected.size());
        }
    }
}

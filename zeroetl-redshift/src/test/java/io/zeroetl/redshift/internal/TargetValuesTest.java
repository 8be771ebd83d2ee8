package io.zeroetl.redshift.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.spi.UnstorableValueException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TargetValuesTest {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    /**
     * DECIMAL of precision 19 or less is a 64-bit integer of units of the last decimal (r_Numeric_types201): a value
     * one unit past it is refused at every scale and precision, whatever its number of digits; one at it is kept.
     */
    @Test
    void aDecimalStoredIn64BitsTakesExactlyTheValuesThatFit() {
        Random r = new Random(11);
        BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        for (int i = 0; i < 20_000; i++) {
            int precision = 1 + r.nextInt(19);
            int scale = r.nextInt(precision + 1);
            BigInteger unscaled = new BigInteger(1 + r.nextInt(64), r);
            if (r.nextBoolean()) {
                unscaled = unscaled.negate();
            }
            BigDecimal value = new BigDecimal(unscaled, scale);
            boolean fits = unscaled.abs().compareTo(max) <= 0 && value.precision() - value.scale() <= precision - scale;
            if (fits) {
                assertThat(TargetValues.decimal(value, precision, scale)).isEqualTo(value.toPlainString());
            } else {
                assertThatThrownBy(() -> TargetValues.decimal(value, precision, scale))
                        .as("%s in DECIMAL(%d,%d)", value, precision, scale)
                        .isInstanceOf(UnstorableValueException.class);
            }
        }
        assertThat(TargetValues.decimal(new BigDecimal("9223372036854775807"), 19, 0))
                .isEqualTo("9223372036854775807");
        assertThatThrownBy(() -> TargetValues.decimal(new BigDecimal("9223372036854775808"), 19, 0))
                .hasMessageContaining("64-bit");
        assertThatThrownBy(() -> TargetValues.decimal(new BigDecimal("-92233720368547758.09"), 19, 2))
                .hasMessageContaining("64-bit");
        assertThat(TargetValues.decimal(new BigDecimal("999999999999999999"), 18, 0))
                .isEqualTo("999999999999999999");
    }

    @Test
    void timestampsAndDatesAreWrittenAsTheirIsoFormWithMicrosecondsAndBcAfterTheYear() {
        Random r = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            LocalDateTime t = LocalDateTime.of(
                    1 + r.nextInt(9999),
                    1 + r.nextInt(12),
                    1 + r.nextInt(28),
                    r.nextInt(24),
                    r.nextInt(60),
                    r.nextInt(60),
                    r.nextInt(1_000_000) * 1000);
            assertThat(TargetValues.timestamp(t)).isEqualTo(ISO.format(t));
            assertThat(TargetValues.date(t.toLocalDate()))
                    .isEqualTo(t.toLocalDate().toString());
        }
        assertThat(TargetValues.timestamp(LocalDateTime.of(5, 3, 4, 1, 2, 3))).isEqualTo("0005-03-04 01:02:03.000000");
        assertThat(TargetValues.timestamp(LocalDateTime.of(0, 1, 1, 0, 0))).isEqualTo("0001-01-01 00:00:00.000000 BC");
        assertThat(TargetValues.date(LocalDate.of(-43, 3, 15))).isEqualTo("0044-03-15 BC");
        assertThat(TargetValues.date(LocalDate.of(12345, 6, 7))).isEqualTo("12345-06-07");
        assertThat(TargetValues.timestampTz(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6000, ZoneOffset.ofHours(2))))
                .isEqualTo("2024-01-02 01:04:05.000006+00");
    }

    /** Text is measured in UTF-8 bytes against the column's limit, and what Redshift cannot store is refused. */
    @Test
    void textIsCountedInUtf8BytesAndNulAndLoneSurrogatesAreRefused() {
        Random random = new Random(20261207L);
        int[] samples = {'a', 0x7F, 0xE9, 0x7FF, 0x800, 0x20AC, 0xFFFD, 0x1F600, 0x10FFFF};
        for (int i = 0; i < 2_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                sb.appendCodePoint(samples[random.nextInt(samples.length)]);
            }
            String text = sb.toString();
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            assertThat(TargetValues.text(text, bytes)).isEqualTo(text);
            if (bytes > 0) {
                assertThatThrownBy(() -> TargetValues.text(text, bytes - 1))
                        .as(text)
                        .hasMessageContaining("text of " + bytes + " bytes exceeds the column's " + (bytes - 1));
            }
        }
        for (String bad : new String[] {"a\u0000b", "\uD800", "x\uDC00", "\uD800\uD800", "\uDBFF"}) {
            assertThatThrownBy(() -> TargetValues.text(bad, 100)).isInstanceOf(UnstorableValueException.class);
        }
    }
}

package io.zeroetl.redshift.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}

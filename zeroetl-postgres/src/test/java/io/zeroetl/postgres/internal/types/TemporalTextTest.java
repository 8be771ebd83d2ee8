package io.zeroetl.postgres.internal.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.change.SpecialValue;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's ISO date and time output read without regular expressions: each form PostgreSQL prints reads back
 * exactly (a seeded generator over years, fractions and offsets), and what is not that form is refused.
 */
class TemporalTextTest {
    private static final long SEED = 20261207L;

    @Test
    void everyTimestampPostgresPrintsReadsBackExactly() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            int year = 1 + random.nextInt(random.nextBoolean() ? 9999 : 294_276);
            LocalDate date = LocalDate.of(year, 1 + random.nextInt(12), 1 + random.nextInt(28));
            int digits = random.nextInt(7);
            int nanos = digits == 0 ? 0 : random.nextInt(1_000_000) * 1000;
            LocalTime time = LocalTime.of(random.nextInt(24), random.nextInt(60), random.nextInt(60), nanos);
            boolean bc = random.nextInt(10) == 0;
            String text = printed(date, time, digits, bc);
            LocalDate expectedDate = bc ? date.withYear(1 - year) : date;
            assertThat(TemporalText.timestamp(text))
                    .as(text)
                    .isEqualTo(LocalDateTime.of(expectedDate, trimmed(time, digits)));
            assertThat(TemporalText.date(printedDate(date, bc))).isEqualTo(expectedDate);
            int offsetSeconds = (random.nextInt(29) - 14) * 3600
                    + (random.nextBoolean() ? 0 : 1800)
                    + (random.nextInt(8) == 0 ? 15 : 0);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetSeconds);
            String tz = printed(date, time, digits, false).replace(" BC", "") + offset(offset);
            assertThat(TemporalText.timestampTz(tz))
                    .as(tz)
                    .isEqualTo(OffsetDateTime.of(LocalDateTime.of(date, trimmed(time, digits)), offset)
                            .withOffsetSameInstant(ZoneOffset.UTC));
            String timeTz =
                    time.format(DateTimeFormatter.ofPattern("HH:mm:ss")) + fraction(time, digits) + offset(offset);
            assertThat(TemporalText.timeTz(timeTz)).as(timeTz).isEqualTo(OffsetTime.of(trimmed(time, digits), offset));
        }
    }

    @Test
    void specialValuesAndTheEndOfTheDay() {
        assertThat(TemporalText.date("infinity")).isEqualTo(SpecialValue.POSITIVE_INFINITY);
        assertThat(TemporalText.timestamp("-infinity")).isEqualTo(SpecialValue.NEGATIVE_INFINITY);
        assertThat(TemporalText.time("24:00:00")).isEqualTo(SpecialValue.END_OF_DAY);
        assertThat(TemporalText.timeTz("24:00:00+00")).isEqualTo("24:00:00+00");
        assertThat(TemporalText.time("23:59:59.999999999")).isEqualTo(LocalTime.of(23, 59, 59, 999_999_999));
        assertThat(TemporalText.timestampTz("2024-02-29 12:00:00+05:30"))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 6, 30, 0, 0, ZoneOffset.UTC));
        assertThat(TemporalText.timestampTz("2024-02-29 12:00:00+0530"))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 6, 30, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void whatIsNotTheIsoFormIsRefused() {
        for (String bad : new String[] {
            "24-01-01", "2024-1-01", "2024-01-1", "2024/01/01", "2024-01-01x", "20x4-01-01", "", "2024-01-0a"
        }) {
            assertThatThrownBy(() -> TemporalText.date(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad :
                new String[] {"1:02:03", "01:02", "01:02:03.", "01:02:03.1234567890", "01-02-03", "0a:02:03"}) {
            assertThatThrownBy(() -> TemporalText.time(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : new String[] {
            "2024-01-01 01:02:03",
            "2024-01-01 01:02:03+",
            "2024-01-01 01:02:03+5",
            "2024-01-01 01:02:03+05:",
            "2024-01-01 01:02:03+05:3",
            "2024-01-01 01:02:03+05:30:",
            "2024-01-01 01:02:03+05:30:1x"
        }) {
            assertThatThrownBy(() -> TemporalText.timestampTz(bad)).as(bad).isInstanceOf(RuntimeException.class);
        }
    }

    private static String printed(LocalDate date, LocalTime time, int digits, boolean bc) {
        return printedDate(date, false) + " " + time.format(DateTimeFormatter.ofPattern("HH:mm:ss"))
                + fraction(time, digits) + (bc ? " BC" : "");
    }

    private static String printedDate(LocalDate date, boolean bc) {
        return String.format("%04d-%02d-%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth())
                + (bc ? " BC" : "");
    }

    /** PostgreSQL prints up to six fraction digits, trailing zeros dropped. */
    private static String fraction(LocalTime time, int digits) {
        if (digits == 0 || time.getNano() == 0) {
            return "";
        }
        String micros = String.format("%06d", time.getNano() / 1000);
        return "." + micros.replaceAll("0+$", "");
    }

    private static LocalTime trimmed(LocalTime time, int digits) {
        return digits == 0 ? time.withNano(0) : time;
    }

    private static String offset(ZoneOffset offset) {
        int total = offset.getTotalSeconds();
        int abs = Math.abs(total);
        String s = (total < 0 ? "-" : "+") + String.format("%02d", abs / 3600);
        if (abs % 3600 != 0) {
            s += String.format(":%02d", abs % 3600 / 60);
            if (abs % 60 != 0) {
                s += String.format(":%02d", abs % 60);
            }
        }
        return s;
    }
}

package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.Interval;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SpecialValue;
import io.zeroetl.change.TableSchema;
import io.zeroetl.fakes.FakeApplier;
import io.zeroetl.fakes.Harness;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every type's text output decodes to the documented Java value, edge values included. */
class TypesIT {
    private record Case(String type, String literal, Object expected) {}

    private static final List<Case> CASES = List.of(
            new Case("int2", "'-32768'", (short) -32768),
            new Case("int4", "2147483647", 2147483647),
            new Case("int8", "'-9223372036854775808'", Long.MIN_VALUE),
            new Case("oid", "4294967295", 4294967295L),
            new Case("numeric", "12345678901234567890.123456789", new BigDecimal("12345678901234567890.123456789")),
            new Case("numeric(5,2)", "0.1", new BigDecimal("0.10")),
            new Case("numeric", "'NaN'", SpecialValue.NAN),
            new Case("numeric", "'Infinity'", SpecialValue.POSITIVE_INFINITY),
            new Case("numeric", "'-Infinity'", SpecialValue.NEGATIVE_INFINITY),
            new Case("float4", "1.5", 1.5f),
            new Case("float4", "'NaN'", Float.NaN),
            new Case("float8", "'-0'", -0.0d),
            new Case("float8", "'Infinity'", Double.POSITIVE_INFINITY),
            new Case("float8", "0.1", 0.1d),
            new Case("float8", "1e308", 1e308d),
            new Case("bool", "true", true),
            new Case("text", "'héllo € 😀'", "héllo € 😀"),
            new Case("varchar(5)", "'abc'", "abc"),
            new Case("char(5)", "'ab'", "ab   "),
            new Case("name", "'nm'", "nm"),
            new Case("\"char\"", "'x'", "x"),
            new Case("bytea", "'\\x00ff10'", new byte[] {0, (byte) 0xff, 0x10}),
            new Case("date", "'2024-02-29'", LocalDate.of(2024, 2, 29)),
            new Case("date", "'infinity'", SpecialValue.POSITIVE_INFINITY),
            new Case("date", "'-infinity'", SpecialValue.NEGATIVE_INFINITY),
            new Case("date", "'0044-03-15 BC'", LocalDate.of(-43, 3, 15)),
            new Case("date", "'12345-01-01'", LocalDate.of(12345, 1, 1)),
            new Case("time", "'23:59:59.999999'", LocalTime.of(23, 59, 59, 999_999_000)),
            new Case("time", "'24:00:00'", SpecialValue.END_OF_DAY),
            new Case("timetz", "'12:00:00+05:30'", OffsetTime.of(12, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30))),
            new Case("timestamp", "'2024-01-01 00:00:00.123456'", LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_000)),
            new Case("timestamp", "'infinity'", SpecialValue.POSITIVE_INFINITY),
            new Case("timestamp", "'2000-01-01 10:00:00 BC'", LocalDateTime.of(-1999, 1, 1, 10, 0)),
            new Case(
                    "timestamptz",
                    "'2024-01-01 12:00:00+02'",
                    OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC)),
            new Case("timestamptz", "'-infinity'", SpecialValue.NEGATIVE_INFINITY),
            new Case("interval", "'1 year 2 months 3 days 04:05:06.5'", new Interval(14, 3, 14_706_500_000L)),
            new Case("interval", "'-1 day -00:00:01'", new Interval(0, -1, -1_000_000L)),
            new Case(
                    "uuid",
                    "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
                    UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
            new Case("json", "'{\"a\":  1}'", "{\"a\":  1}"),
            new Case("jsonb", "'{\"b\":[1,2]}'", "{\"b\": [1, 2]}"),
            new Case("xml", "'<a>x</a>'", "<a>x</a>"),
            new Case("inet", "'192.168.0.1/24'", "192.168.0.1/24"),
            new Case("cidr", "'10.0.0.0/8'", "10.0.0.0/8"),
            new Case("macaddr", "'08:00:2b:01:02:03'", "08:00:2b:01:02:03"),
            new Case("macaddr8", "'08:00:2b:01:02:03:04:05'", "08:00:2b:01:02:03:04:05"),
            new Case("bit(4)", "B'1010'", "1010"),
            new Case("varbit", "B'101'", "101"),
            new Case("money", "1234.56", new BigDecimal("1234.56")),
            new Case("pg_lsn", "'16/B374D848'", "16/B374D848"),
            new Case("tsvector", "'a fat cat'", "'a' 'cat' 'fat'"),
            new Case("int4[]", "'{1,NULL,3}'", Arrays.asList(1, null, 3)),
            new Case(
                    "text[]", "'{{\"a b\",c},{d,\"\\\"q\\\"\"}}'", List.of(List.of("a b", "c"), List.of("d", "\"q\""))),
            new Case("date[]", "'{2024-01-01,infinity}'", List.of("2024-01-01", "infinity")),
            new Case("inet[]", "'{10.0.0.1,10.0.0.0/24}'", List.of("10.0.0.1", "10.0.0.0/24")),
            new Case("float8[]", "'{1.5,NULL}'", Arrays.asList(1.5, null)),
            new Case("mood", "'happy'", "happy"),
            new Case("posint", "5", 5),
            new Case("pair", "ROW(1, 'a b')", "(1,\"a b\")"),
            new Case("int4range", "'[1,5)'", "[1,5)"),
            new Case("mood[]", "'{happy,sad}'", List.of("happy", "sad")),
            new Case("amount", "12.5", new BigDecimal("12.50")),
            new Case("code", "'abc'", "abc"));

    @Test
    void everyTypeDecodesToItsDocumentedValueAndNullStaysNull() throws Exception {
        FakeApplier applier = new FakeApplier();
        try (SourceFixture f = new SourceFixture()) {
            List<String> columns = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (int i = 0; i < CASES.size(); i++) {
                columns.add("c" + i + " " + CASES.get(i).type());
                values.add(CASES.get(i).literal() + "::" + CASES.get(i).type());
            }
            f.sql(
                    "CREATE TYPE mood AS ENUM ('happy', 'sad')",
                    "CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)",
                    "CREATE DOMAIN amount AS numeric(10,2)",
                    "CREATE DOMAIN code AS varchar(10)",
                    "CREATE TYPE pair AS (x int, y text)",
                    "CREATE TABLE types (id INT PRIMARY KEY, " + String.join(", ", columns) + ")");
            try (Pipeline pipeline = ZeroEtl.from(f.source())
                    .to(() -> applier)
                    .tables("public.types")
                    .pipelineId("types")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                f.sql(
                        "INSERT INTO types VALUES (1, " + String.join(", ", values) + ")",
                        "INSERT INTO types (id) VALUES (2)");
                Harness.awaitCaughtUp(pipeline);
            }
        }

        List<InsertEvent> inserts = applier.events().stream()
                .filter(InsertEvent.class::isInstance)
                .map(InsertEvent.class::cast)
                .toList();
        Row row = inserts.get(0).row();
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            assertThat(row.get(i + 1)).as(c.type() + " " + c.literal()).isEqualTo(c.expected());
        }
        assertThat(inserts.get(1).row().values().subList(1, CASES.size() + 1)).containsOnlyNulls();
        TableSchema schema = applier.events().stream()
                .filter(RelationEvent.class::isInstance)
                .map(e -> ((RelationEvent) e).schema())
                .findFirst()
                .orElseThrow();
        assertThat(kind(schema, "mood")).isEqualTo(ColumnType.Kind.ENUM);
        assertThat(schema.columns()
                        .get(CASES.indexOf(find("posint")) + 1)
                        .type()
                        .name())
                .isEqualTo("int4");
        assertThat(kind(schema, "pair")).isEqualTo(ColumnType.Kind.COMPOSITE);
        assertThat(kind(schema, "int4range")).isEqualTo(ColumnType.Kind.RANGE);
        assertThat(kind(schema, "int4[]")).isEqualTo(ColumnType.Kind.ARRAY);
        // a domain is its base type with the domain's modifier: numeric(10,2), varchar(10)
        ColumnType amount =
                schema.columns().get(CASES.indexOf(find("amount")) + 1).type();
        assertThat(amount.name()).isEqualTo("numeric");
        assertThat(amount.size()).isEqualTo(io.zeroetl.change.ColumnType.Size.decimal(10, 2));
        ColumnType code = schema.columns().get(CASES.indexOf(find("code")) + 1).type();
        assertThat(code.name()).isEqualTo("varchar");
        assertThat(code.size()).isEqualTo(io.zeroetl.change.ColumnType.Size.length(10));
    }

    private static ColumnType.Kind kind(TableSchema schema, String type) {
        return schema.columns().get(CASES.indexOf(find(type)) + 1).type().kind();
    }

    private static Case find(String type) {
        return CASES.stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
    }
}

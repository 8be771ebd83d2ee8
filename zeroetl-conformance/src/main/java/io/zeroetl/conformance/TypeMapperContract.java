package io.zeroetl.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.Interval;
import io.zeroetl.change.SpecialValue;
import io.zeroetl.change.UnreadableValue;
import io.zeroetl.change.ValueType;
import io.zeroetl.spi.ColumnMapping;
import io.zeroetl.spi.TypeMapper;
import io.zeroetl.spi.UnstorableValueException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What every {@link TypeMapper} must do, as tests, for columns described only by their {@link ValueType} (the
 * engine's own columns, and a source that has no type names of its own): map every value type; keep NULL; for
 * each value, either convert it or refuse it with {@link UnstorableValueException} — never another exception,
 * and never two different values converted to one (that would alter data silently); refuse an
 * {@link UnreadableValue}; and answer the same way every time. A mapper's test class extends this one and says
 * which mapper ({@link #mapper()}).
 */
public abstract class TypeMapperContract {
    private static final TableId TABLE = TableId.of("conformance", "types");

    /** {@return the mapper under test} */
    protected abstract TypeMapper mapper();

    /**
     * {@return values of each value type, different values where the type can tell them apart; a mapper may
     * refuse any of them, but must not convert two of them to one} Override to add a target's own edges.
     */
    protected Map<ValueType, List<Object>> samples() {
        Map<ValueType, List<Object>> s = new EnumMap<>(ValueType.class);
        s.put(ValueType.BOOLEAN, List.of(true, false));
        s.put(ValueType.INT16, List.of(Short.MIN_VALUE, (short) 0, Short.MAX_VALUE));
        s.put(ValueType.INT32, List.of(Integer.MIN_VALUE, 1, Integer.MAX_VALUE));
        s.put(ValueType.INT64, List.of(Long.MIN_VALUE, 1L, 2L, Long.MAX_VALUE));
        s.put(
                ValueType.DECIMAL,
                List.of(
                        new BigDecimal("12345678901234567890.123456789"),
                        new BigDecimal("0.1"),
                        new BigDecimal("1E+30"),
                        SpecialValue.NAN));
        s.put(ValueType.FLOAT32, List.of(1.5f, -2.25f, Float.MAX_VALUE, Float.NaN));
        s.put(ValueType.FLOAT64, List.of(1.5, 0.1, Double.MIN_VALUE, Double.NEGATIVE_INFINITY));
        s.put(ValueType.STRING, List.of("", "a", "A", "🦀 ok 𝄞", "a\u0000b", "x".repeat(70_000)));
        s.put(ValueType.BYTES, List.of(new byte[0], new byte[] {0}, new byte[] {0, (byte) 0xff}));
        s.put(
                ValueType.DATE,
                List.of(LocalDate.of(2024, 2, 29), LocalDate.of(1, 1, 1), SpecialValue.POSITIVE_INFINITY));
        s.put(ValueType.TIME, List.of(LocalTime.MIDNIGHT, LocalTime.of(23, 59, 59, 999_999_000)));
        s.put(
                ValueType.OFFSET_TIME,
                List.of(OffsetTime.of(10, 0, 0, 0, ZoneOffset.UTC), OffsetTime.of(10, 0, 0, 0, ZoneOffset.ofHours(2))));
        s.put(
                ValueType.DATE_TIME,
                List.of(
                        LocalDateTime.of(2024, 1, 31, 10, 0, 0, 1_000),
                        LocalDateTime.of(2024, 1, 31, 10, 0, 0, 2_000)));
        s.put(
                ValueType.OFFSET_DATE_TIME,
                List.of(
                        OffsetDateTime.of(2024, 1, 31, 10, 0, 0, 0, ZoneOffset.UTC),
                        OffsetDateTime.of(2024, 1, 31, 10, 0, 0, 1_000, ZoneOffset.UTC)));
        s.put(ValueType.INTERVAL, List.of(new Interval(14, 3, 4_000_000), new Interval(0, 0, 1)));
        s.put(
                ValueType.UUID,
                List.of(
                        UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                        UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12")));
        s.put(ValueType.JSON, List.of("{\"a\": 1}", "[1, \"x\"]", "null"));
        s.put(ValueType.OTHER, List.of("(1,2)", "[1,2)"));
        return s;
    }

    @TestFactory
    Stream<DynamicTest> everyValueTypeMapsTheSameWayEveryTime() {
        return Arrays.stream(ValueType.values())
                .map(type -> DynamicTest.dynamicTest(type.name(), () -> {
                    ColumnMapping first = map(type);
                    assertThat(first).as("the mapping of " + type).isNotNull();
                    assertThat(first.targetType())
                            .as("the target type of " + type)
                            .isNotBlank();
                    assertThat(map(type).targetType()).isEqualTo(first.targetType());
                }));
    }

    @TestFactory
    Stream<DynamicTest> nullStaysNull() {
        return Arrays.stream(ValueType.values())
                .map(type -> DynamicTest.dynamicTest(
                        type.name(), () -> assertThat(map(type).convert(null)).isNull()));
    }

    @TestFactory
    Stream<DynamicTest> eachValueIsConvertedOrRefusedAndNoTwoBecomeOne() {
        return samples().entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey().name(), () -> {
                    ColumnMapping mapping = map(e.getKey());
                    List<Object> converted = new ArrayList<>();
                    List<Object> from = new ArrayList<>();
                    for (Object value : e.getValue()) {
                        Throwable refused = catchThrowable(() -> mapping.convert(value));
                        if (refused != null) {
                            assertThat(refused)
                                    .as("converting " + describe(value) + " (" + e.getKey() + ") may only be refused")
                                    .isInstanceOf(UnstorableValueException.class);
                            continue;
                        }
                        Object out = mapping.convert(value);
                        assertThat(render(mapping.convert(value)))
                                .as("converting " + describe(value) + " twice")
                                .isEqualTo(render(out));
                        for (int i = 0; i < converted.size(); i++) {
                            assertThat(render(out))
                                    .as(describe(from.get(i)) + " and " + describe(value) + " (" + e.getKey()
                                            + ") must not land as one value")
                                    .isNotEqualTo(render(converted.get(i)));
                        }
                        converted.add(out);
                        from.add(value);
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> anUnreadableValueIsRefusedWithItsReason() {
        return Arrays.stream(ValueType.values())
                .map(type -> DynamicTest.dynamicTest(type.name(), () -> {
                    UnreadableValue unreadable = new UnreadableValue("?!", "malformed on purpose");
                    assertThatThrownBy(() -> map(type).convert(unreadable))
                            .isInstanceOf(UnstorableValueException.class)
                            .hasMessageContaining("malformed on purpose");
                }));
    }

    private ColumnMapping map(ValueType type) {
        return mapper().map(TABLE, new Column("c_" + type.typeName(), ColumnType.of(type), false, true));
    }

    private static String render(Object value) {
        return value instanceof byte[] bytes ? Arrays.toString(bytes) : Objects.toString(value);
    }

    private static String describe(Object value) {
        String s = render(value);
        return s.length() > 40 ? s.substring(0, 40) + "... (" + s.length() + " characters)" : s;
    }
}

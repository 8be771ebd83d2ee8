package io.zeroetl.internal.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowFilterTest {
    private static final TableSchema ORDERS = new TableSchema(
            TableId.of("public", "orders"),
            List.of(
                    column("order_id", ValueType.INT32),
                    column("amount", ValueType.DECIMAL),
                    column("region", ValueType.STRING),
                    column("paid", ValueType.BOOLEAN),
                    column("ordered_at", ValueType.DATE_TIME)),
            TableSchema.ReplicaIdentity.DEFAULT);

    @Test
    void comparesNumbersTextAndCombinesWithAndOrNot() {
        RowFilter f = RowFilter.parse("amount > 100 AND region = 'EU' OR NOT paid", ORDERS);
        assertThat(f.test(row(150, "EU", true)::get)).isTrue();
        assertThat(f.test(row(150, "US", true)::get)).isFalse();
        assertThat(f.test(row(50, "EU", false)::get)).isTrue();
    }

    @Test
    void followsSqlNullLogic() {
        RowFilter gt = RowFilter.parse("amount > 100", ORDERS);
        assertThat(gt.test(row(null, "EU", true)::get))
                .as("NULL > 100 is unknown: the row does not pass")
                .isFalse();
        assertThat(RowFilter.parse("NOT amount > 100", ORDERS).test(row(null, "EU", true)::get))
                .isFalse();
        assertThat(RowFilter.parse("amount IS NULL OR amount > 100", ORDERS).test(row(null, "EU", true)::get))
                .isTrue();
        assertThat(RowFilter.parse("region NOT IN ('EU', NULL)", ORDERS).test(row(1, "US", true)::get))
                .as("NOT IN with a NULL is never true")
                .isFalse();
    }

    @Test
    void supportsInLikeBetweenParenthesesQuotedNamesAndTimestamps() {
        Map<String, Object> r = row(120, "EU-west", true);
        assertThat(RowFilter.parse("region LIKE 'EU%' AND amount BETWEEN 100 AND 200", ORDERS)
                        .test(r::get))
                .isTrue();
        assertThat(RowFilter.parse("(\"region\" IN ('US', 'EU-west')) AND order_id <> 7", ORDERS)
                        .test(r::get))
                .isTrue();
        assertThat(RowFilter.parse("ordered_at >= '2024-03-01 00:00:00'", ORDERS)
                        .test(r::get))
                .isTrue();
        assertThat(RowFilter.parse("ordered_at < '2024-03-01'", ORDERS).test(row(1, "x", true)::get))
                .isFalse();
    }

    @Test
    void rejectsUnknownColumnsTypeMismatchesAndBadSyntaxNamingTheProblem() {
        assertThatThrownBy(() -> RowFilter.parse("amout > 1", ORDERS)).hasMessageContaining("no column amout");
        assertThatThrownBy(() -> RowFilter.parse("amount = 'x'", ORDERS))
                .hasMessageContaining("cannot compare number with string");
        assertThatThrownBy(() -> RowFilter.parse("amount >", ORDERS)).hasMessageContaining("ends too early");
        assertThatThrownBy(() -> RowFilter.parse("amount > 1 region", ORDERS))
                .hasMessageContaining("unexpected 'region'");
        assertThatThrownBy(() -> RowFilter.parse("region = 'EU", ORDERS)).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> RowFilter.parse("ordered_at > 'soon'", ORDERS))
                .hasMessageContaining("is not a date and time");
    }

    private static Map<String, Object> row(Integer amount, String region, boolean paid) {
        Map<String, Object> values = new HashMap<>();
        values.put("order_id", 1);
        values.put("amount", amount == null ? null : BigDecimal.valueOf(amount));
        values.put("region", region);
        values.put("paid", paid);
        values.put("ordered_at", LocalDateTime.of(2024, 3, 1, 12, 0));
        return values;
    }

    private static Column column(String name, ValueType type) {
        return new Column(name, ColumnType.of(type), name.equals("order_id"), true);
    }
}

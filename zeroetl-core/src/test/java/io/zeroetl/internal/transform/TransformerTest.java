package io.zeroetl.internal.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.Naming;
import io.zeroetl.TableId;
import io.zeroetl.TableRules;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The target's own idea of when two names are one decides which rules collide; core assumes none. */
class TransformerTest {
    private static final TableId ORDERS = TableId.of("public", "orders");
    private static final TableSchema SCHEMA = new TableSchema(
            ORDERS,
            List.of(
                    new Column("id", ColumnType.of(ValueType.INT64), true, false),
                    new Column("total", ColumnType.of(ValueType.DECIMAL), false, true),
                    new Column("amount", ColumnType.of(ValueType.DECIMAL), false, true)),
            TableSchema.ReplicaIdentity.DEFAULT);
    private static final Map<TableId, TableRules> RENAME_TO_TOTAL =
            Map.of(ORDERS, TableRules.builder().renameColumn("amount", "Total").build());

    @Test
    void aTargetThatFoldsNamesRefusesRulesMakingTwoColumnsFoldAlike() {
        UnaryOperator<String> lowerCase = name -> name.toLowerCase(Locale.ROOT);
        Transformer transformer = new Transformer(RENAME_TO_TOTAL, Naming.AS_IS, List.of(), lowerCase);

        assertThatThrownBy(() -> transformer.check(SCHEMA))
                .hasMessageContaining("would be named total and Total")
                .hasMessageContaining("rename one");
    }

    @Test
    void aTargetWithCaseSensitiveNamesKeepsBothColumns() {
        Transformer transformer = new Transformer(RENAME_TO_TOTAL, Naming.AS_IS, List.of(), UnaryOperator.identity());

        assertThatCode(() -> transformer.check(SCHEMA)).doesNotThrowAnyException();
    }

    @Test
    void columnsTheEngineAddsHaveTypesMadeOfValueTypesAlone() {
        Map<TableId, TableRules> rules = Map.of(
                ORDERS,
                TableRules.builder()
                        .metadataColumns()
                        .hash("amount")
                        .compute("doubled", ValueType.INT64, row -> 2L)
                        .build());
        Transformer transformer = new Transformer(rules, Naming.AS_IS, List.of(), UnaryOperator.identity());

        TableSchema target =
                CompiledRules.compile(SCHEMA, rules.get(ORDERS), Naming.AS_IS, UnaryOperator.identity()).target;

        assertThat(transformer.targetOf(ORDERS)).isEqualTo(ORDERS);
        assertThat(target.columns())
                .extracting(c -> c.name() + " " + c.type().name())
                .contains(
                        "amount string", "doubled int64", "_zeroetl_synced_at offset_date_time", "_zeroetl_lsn int64");
    }
}

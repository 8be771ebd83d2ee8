package io.zeroetl.internal.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.Naming;
import io.zeroetl.TableId;
import io.zeroetl.TableRules;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void aDroppedTableWhoseRulesNameColumnsIsToldDroppedUnderItsTargetNameNotFailed() {
        Map<TableId, TableRules> rules = Map.of(
                ORDERS,
                TableRules.builder()
                        .excludeColumns("amount")
                        .targetName("fact_orders")
                        .build());
        Transformer transformer = new Transformer(rules, Naming.AS_IS, List.of(), UnaryOperator.identity());
        transformer.apply(new RelationEvent(SCHEMA));

        List<ChangeEvent> out = transformer.apply(new SchemaChangeEvent(
                ORDERS, "DROP TABLE", "", new TableSchema(ORDERS, List.of(), SCHEMA.identity()), Map.of()));

        assertThat(out).singleElement().isInstanceOfSatisfying(SchemaChangeEvent.class, e -> {
            assertThat(e.kind()).isEqualTo(SchemaChangeEvent.Kind.DROPPED);
            assertThat(e.table()).isEqualTo(TableId.of("public", "fact_orders"));
        });
    }

    @Test
    void aTableRenamedAndFollowedTakesTheRulesOfItsFirstNameUnlessRulesNameItsNewName() {
        TableId renamed = TableId.of("public", "orders_v2");
        TableId other = TableId.of("public", "items");
        TableRules ordersRules = TableRules.builder().targetName("fact_orders").build();
        TableRules itemsRules = TableRules.builder().targetName("fact_items").build();
        FirstNames names = new FirstNames();
        Transformer transformer = new Transformer(
                Map.of(ORDERS, ordersRules, other, itemsRules),
                Naming.AS_IS,
                List.of(),
                UnaryOperator.identity(),
                names);
        names.restore(Optional.of(Map.of(renamed, ORDERS, other, ORDERS)));

        assertThat(transformer.rulesOf(renamed)).isSameAs(ordersRules);
        assertThat(transformer.targetOf(renamed)).isEqualTo(TableId.of("public", "fact_orders"));
        assertThat(transformer.rulesOf(other)).as("its own rules win").isSameAs(itemsRules);
    }
}

package io.zeroetl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableIdTest {
    @Test
    void parsesSchemaAndTable() {
        assertThat(TableId.parse("public.orders")).isEqualTo(TableId.of("public", "orders"));
    }

    @Test
    void quotedPartsKeepDotsQuotesAndCase() {
        TableId id = TableId.parse("\"Sales.EU\".\"Order \"\"Lines\"\"\"");

        assertThat(id.schema()).isEqualTo("Sales.EU");
        assertThat(id.table()).isEqualTo("Order \"Lines\"");
        assertThat(TableId.parse(id.quoted())).isEqualTo(id);
        assertThat(id).hasToString("\"Sales.EU\".\"Order \"\"Lines\"\"\"");
    }

    @Test
    void plainNamesPrintUnquoted() {
        assertThat(TableId.parse("public.order_lines")).hasToString("public.order_lines");
        assertThat(TableId.of("public", "Orders")).hasToString("public.\"Orders\"");
    }

    @Test
    void rejectsNamesWithoutSchemaOrWithTooManyParts() {
        for (String bad : new String[] {"orders", "a.b.c", ".orders", "public.", "\"open.orders", "\"a\"x.b"}) {
            assertThatThrownBy(() -> TableId.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }
}

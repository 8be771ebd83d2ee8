package io.zeroetl.redshift.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import io.zeroetl.redshift.RedshiftTypeMapper;
import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Copies loaded straight into their tables: opened alone, and a background failure is its own table's. */
class DirectLoadsTest {
    private static final TableId ORDERS = TableId.of("public", "orders");
    private static final TableId ITEMS = TableId.of("public", "items");

    @Test
    void aLoadRunningInTheBackgroundThatFailedFailsItsOwnTableWhicheverTableAsksNext() throws Exception {
        List<String> opened = new ArrayList<>();
        StagingLoader loader = new StagingLoader() {
            @Override
            public Load open(Connection connection, String table, List<Column> columns) {
                throw new AssertionError("a direct load is opened alone");
            }

            @Override
            public Load openAlone(Connection connection, String table, List<Column> columns) {
                opened.add(table);
                return new Load() {
                    @Override
                    public void add(String[] row) {}

                    @Override
                    public void finish() {}

                    @Override
                    public void settle() throws SQLException {
                        if (table.contains("orders")) {
                            throw new SQLException("refused in the background", "22P02");
                        }
                    }
                };
            }
        };
        DirectLoads loads = new DirectLoads();
        loads.add(null, loader, table(ORDERS), new String[] {"1"});
        loads.add(null, loader, table(ORDERS), new String[] {"2"});
        assertThatThrownBy(() -> loads.add(null, loader, table(ITEMS), new String[] {"1"}))
                .as("another table's rows wait for every load running in the background")
                .isInstanceOf(DirectLoads.Failed.class);

        assertThat(opened).containsExactly("\"public\".\"orders\"");
        assertThatThrownBy(loads::settle).isInstanceOfSatisfying(DirectLoads.Failed.class, f -> {
            assertThat(f.table).isEqualTo(ORDERS);
            assertThat(f.failure()).hasMessage("refused in the background");
        });
    }

    private static TargetTable table(TableId id) {
        ColumnType int4 = new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32);
        return TargetTable.of(
                new TableSchema(id, List.of(new Column("id", int4, true, false)), TableSchema.ReplicaIdentity.DEFAULT),
                null,
                RedshiftTypeMapper.DEFAULT,
                null);
    }
}

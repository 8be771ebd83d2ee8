package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.ValueType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Types the mapper does not know by their PostgreSQL name land by their value type. */
class RedshiftTypeMapperTest {
    private static final TableId TABLE = TableId.of("public", "t");

    @Test
    void theEnginesOwnColumnsLandByValueType() {
        assertThat(type(ColumnType.of(ValueType.BOOLEAN))).isEqualTo("BOOLEAN");
        assertThat(type(ColumnType.of(ValueType.INT16))).isEqualTo("SMALLINT");
        assertThat(type(ColumnType.of(ValueType.INT32))).isEqualTo("INTEGER");
        assertThat(type(ColumnType.of(ValueType.INT64))).isEqualTo("BIGINT");
        assertThat(type(ColumnType.of(ValueType.FLOAT32))).isEqualTo("REAL");
        assertThat(type(ColumnType.of(ValueType.FLOAT64))).isEqualTo("DOUBLE PRECISION");
        assertThat(type(ColumnType.of(ValueType.DECIMAL))).isEqualTo("VARCHAR(65535)");
        assertThat(type(ColumnType.of(ValueType.STRING))).isEqualTo("VARCHAR(65535)");
        assertThat(type(ColumnType.of(ValueType.BYTES))).isEqualTo("VARBYTE(16777216)");
        assertThat(type(ColumnType.of(ValueType.DATE))).isEqualTo("DATE");
        assertThat(type(ColumnType.of(ValueType.TIME))).isEqualTo("TIME");
        assertThat(type(ColumnType.of(ValueType.OFFSET_TIME))).isEqualTo("TIMETZ");
        assertThat(type(ColumnType.of(ValueType.DATE_TIME))).isEqualTo("TIMESTAMP");
        assertThat(type(ColumnType.of(ValueType.OFFSET_DATE_TIME))).isEqualTo("TIMESTAMPTZ");
        assertThat(type(ColumnType.of(ValueType.INTERVAL))).isEqualTo("VARCHAR(64)");
        assertThat(type(ColumnType.of(ValueType.UUID))).isEqualTo("CHAR(36)");
        assertThat(type(ColumnType.of(ValueType.JSON))).isEqualTo("SUPER");
        assertThat(type(ColumnType.of(ValueType.OTHER))).isEqualTo("VARCHAR(65535)");
    }

    @Test
    void aHostSourcesTypeNamesAreNotNeededToMapIt() {
        assertThat(type(ColumnType.named("Long", ValueType.INT64))).isEqualTo("BIGINT");
        assertThat(type(ColumnType.named("datetime2", ValueType.DATE_TIME))).isEqualTo("TIMESTAMP");
    }

    @Test
    void postgresNamesStillDecideWhereTheyCarryMore() {
        assertThat(type(new ColumnType("varchar", 1043, ColumnType.Size.length(10), ValueType.STRING)))
                .isEqualTo("VARCHAR(40)");
        assertThat(type(new ColumnType("numeric", 1700, ColumnType.Size.decimal(12, 2), ValueType.DECIMAL)))
                .isEqualTo("DECIMAL(12,2)");
        assertThat(type(new ColumnType("money", 790, ColumnType.Size.NONE, ValueType.DECIMAL)))
                .isEqualTo("DECIMAL(20,3)");
    }

    @Test
    void aPointInTimeRendersAsRedshiftReadsIt() {
        Object text = RedshiftTypeMapper.DEFAULT
                .map(TABLE, new Column("at", ColumnType.of(ValueType.OFFSET_DATE_TIME), false, true))
                .convert(OffsetDateTime.of(2024, 1, 31, 10, 0, 0, 0, ZoneOffset.UTC));

        assertThat(text.toString()).startsWith("2024-01-31 10:00:00");
    }

    private static String type(ColumnType type) {
        return RedshiftTypeMapper.DEFAULT
                .map(TABLE, new Column("c", type, false, true))
                .targetType();
    }
}

package io.zeroetl.examples;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.redshift.RedshiftTypeMapper;
import io.zeroetl.spi.TypeMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Example: a custom {@link TypeMapper} that changes one column and leaves the rest to the default. Here
 * every {@code numeric} column named {@code price} lands as DECIMAL(12,2), rounded half-up, whatever its
 * source precision.
 *
 * <pre>{@code
 * RedshiftTarget.builder()...typeMapper(CustomTypeMapperExample.PRICES_IN_CENTS).build();
 * }</pre>
 */
public final class CustomTypeMapperExample {
    /** Prices as DECIMAL(12,2); everything else as zeroetl maps it. */
    public static final TypeMapper PRICES_IN_CENTS =
            (TableId table, Column column) -> column.name().equals("price")
                    ? RedshiftTypeMapper.mapping(
                            "DECIMAL(12,2)",
                            value -> ((BigDecimal) value)
                                    .setScale(2, RoundingMode.HALF_UP)
                                    .toPlainString())
                    : RedshiftTypeMapper.DEFAULT.map(table, column);

    private CustomTypeMapperExample() {}
}

package io.zeroetl.examples;

import io.zeroetl.DeleteMode;
import io.zeroetl.Pipeline;
import io.zeroetl.Source;
import io.zeroetl.Target;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Example: the seed's analytical {@code fact_orders} built on the way from {@code public.orders}, with
 * the transform API: {@code order_date} lands as a DATE, a computed {@code amount_band}, only real orders
 * (a row filter), and every version kept (history mode) so analysts can see how orders changed.
 *
 * <pre>{@code
 * try (Pipeline facts = FactOrdersExample.start(source, target)) { ... }
 * }</pre>
 */
public final class FactOrdersExample {
    private FactOrdersExample() {}

    /** Starts the pipeline {@code facts} that keeps {@code public.fact_orders} from {@code public.orders}. */
    public static Pipeline start(Source source, Target target) {
        return ZeroEtl.from(source)
                .to(target)
                .pipelineId("facts")
                .table(
                        "public.orders",
                        t -> t.targetName("fact_orders")
                                .toDate("order_date")
                                .compute(
                                        "amount_band",
                                        ValueType.STRING,
                                        row -> band((BigDecimal) row.get("total_amount")))
                                .filter("customer_name NOT LIKE 'test%'")
                                .deleteMode(DeleteMode.HISTORY))
                .start();
    }

    private static String band(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal hundreds = amount.divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR);
        return hundreds.signum() == 0 ? "under 100" : hundreds.multiply(BigDecimal.valueOf(100)) + "+";
    }
}

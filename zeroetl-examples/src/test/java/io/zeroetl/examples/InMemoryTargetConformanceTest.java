package io.zeroetl.examples;

import io.zeroetl.TableId;
import io.zeroetl.conformance.ChangeApplierContract;
import io.zeroetl.examples.memory.InMemoryTarget;
import io.zeroetl.spi.ChangeApplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A target written only against the public SPI passes the same conformance kit as the Redshift target. */
class InMemoryTargetConformanceTest extends ChangeApplierContract {
    private final InMemoryTarget target = new InMemoryTarget();

    @Override
    protected ChangeApplier applier() {
        return target.applier();
    }

    @Override
    protected List<List<String>> rows(TableId table, List<String> columns) {
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> row : target.rows(table)) {
            List<String> values = new ArrayList<>();
            for (String column : columns) {
                Object value = row.get(column);
                values.add(value == null ? null : value.toString());
            }
            rows.add(values);
        }
        return rows;
    }

    @Override
    protected boolean fences() {
        return true;
    }
}

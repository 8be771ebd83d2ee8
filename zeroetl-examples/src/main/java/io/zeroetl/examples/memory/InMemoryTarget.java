package io.zeroetl.examples.memory;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.Target;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.Batch;
import io.zeroetl.spi.ChangeApplier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A target that keeps every table in memory, for a host's tests and as the smallest example of the SPI: a
 * batch is applied to copies of the tables it touches and swapped in, with its end position, at once, so it
 * takes effect whole or not at all; each applier started claims the pipeline (a newer epoch), and a commit of
 * an applier started earlier is refused (FENCED), as the Redshift target does.
 *
 * <pre>{@code
 * InMemoryTarget target = new InMemoryTarget();
 * try (Pipeline p = ZeroEtl.from(source).to(target).tables("public.orders").start()) { ... }
 * List<Map<String, Object>> orders = target.rows(TableId.parse("public.orders"));
 * }</pre>
 */
public final class InMemoryTarget implements Target {
    private final Map<TableId, MemoryTable> tables = new HashMap<>();
    private final Map<String, Lsn> positions = new HashMap<>();
    private final Map<String, Long> epochs = new HashMap<>();

    @Override
    public ChangeApplier applier() {
        return new Applier();
    }

    /**
     * The rows {@code table} holds now, each as its columns' values by name.
     *
     * @param table the table, as the pipeline names it in the target
     * @return the rows, in the order they were first written; empty when there is no such table
     */
    public synchronized List<Map<String, Object>> rows(TableId table) {
        MemoryTable t = tables.get(table);
        return t == null ? List.of() : t.rows();
    }

    /**
     * The position of the last batch committed for {@code pipelineId}.
     *
     * @param pipelineId the pipeline
     * @return the position, or empty before its first commit
     */
    public synchronized Optional<Lsn> position(String pipelineId) {
        return Optional.ofNullable(positions.get(pipelineId));
    }

    private synchronized long claim(String pipelineId) {
        return epochs.merge(pipelineId, 1L, Long::sum);
    }

    private synchronized MemoryTable copyOf(TableId table) {
        MemoryTable t = tables.get(table);
        return t == null ? null : t.copy();
    }

    /** Swaps the batch's tables in with its position, unless another applier claimed the pipeline since. */
    private synchronized void commit(String pipelineId, long epoch, Map<TableId, MemoryTable> changed, Lsn end) {
        if (epochs.getOrDefault(pipelineId, 0L) != epoch) {
            throw new ZeroEtlException(ErrorCode.FENCED, "Another instance took pipeline " + pipelineId + " over");
        }
        tables.putAll(changed);
        positions.put(pipelineId, end);
    }

    /** One pipeline's writer. */
    private final class Applier implements ChangeApplier {
        private String pipelineId;
        private long epoch;

        @Override
        public Optional<Lsn> start(ApplierContext context) {
            pipelineId = context.pipelineId();
            epoch = claim(pipelineId);
            return position(pipelineId);
        }

        @Override
        public void apply(Batch batch) {
            Map<TableId, MemoryTable> changed = new HashMap<>();
            BatchWork work = new BatchWork(
                    table -> changed.computeIfAbsent(table, InMemoryTarget.this::copyOf),
                    (table, created) -> changed.put(table, created));
            for (var event = batch.next(); event != null; event = batch.next()) {
                work.apply(event);
            }
            commit(pipelineId, epoch, changed, batch.endPosition());
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}

package io.zeroetl.internal.engine;

import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.FakeSource;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.Batch;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.spi.StreamItem;
import io.zeroetl.spi.StreamRequest;
import io.zeroetl.spi.WalReader;
import io.zeroetl.spi.WalStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Run in a child JVM by {@link HugeTransactionTest}: one source transaction of N rows, generated as it
 * is read (never held by the source), through the engine into an applier that checks every row
 * arrives once and in order, holding nothing. Prints one result line and exits 0 only on success.
 */
public final class HugeTransactionRun {
    private static final TableId TABLE = TableId.of("public", "orders");
    private static final Instant TIME = Instant.parse("2026-01-01T00:00:00Z");

    private HugeTransactionRun() {}

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[0]);
        CheckingApplier applier = new CheckingApplier();
        GeneratedLog log = new GeneratedLog(rows);
        try (Pipeline pipeline = ZeroEtl.from(new FakeSource(log))
                .to(() -> applier)
                .tables("public.orders")
                .start()) {
            if (!pipeline.awaitCaughtUp(Duration.ofMinutes(5))) {
                System.out.println("RESULT timeout " + pipeline.status());
                System.exit(2);
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("RESULT rows=" + applier.rows + " inOrder=" + applier.inOrder + " batches=" + applier.batches
                + " peakHeapMb=" + peak / (1 << 20) + " maxHeapMb="
                + Runtime.getRuntime().maxMemory() / (1 << 20));
        System.exit(applier.rows == rows && applier.inOrder ? 0 : 1);
    }

    /** The log: entry 0 begin, 1 relation, 2..rows+1 inserts, then the commit, each made as it is read. */
    private static final class GeneratedLog implements WalReader {
        private final long rows;
        private final Lsn commit;

        GeneratedLog(long rows) {
            this.rows = rows;
            this.commit = Lsn.of(16 * (rows + 3));
        }

        @Override
        public WalStream open(StreamRequest request) {
            return new WalStream() {
                private long next;

                @Override
                public StreamItem read(Duration timeout) {
                    if (next > rows + 2) {
                        return StreamItem.progress(currentPosition());
                    }
                    long index = next++;
                    return StreamItem.of(Lsn.of(16 * (index + 1)), commit, event(index));
                }

                @Override
                public void acknowledge(Lsn durable) {}

                @Override
                public void close() {}
            };
        }

        @Override
        public Lsn currentPosition() {
            return Lsn.of(commit.value() + 100);
        }

        private ChangeEvent event(long index) {
            if (index == 0) {
                return new BeginEvent(1, commit, TIME);
            } else if (index == 1) {
                return new RelationEvent(FakeLog.schema(TABLE));
            } else if (index <= rows + 1) {
                long id = index - 2;
                return new InsertEvent(TABLE, Row.of(id, "order number " + id + " with some text"), 200);
            }
            return new CommitEvent(commit, Lsn.of(commit.value() + 8), TIME);
        }
    }

    /** Checks ids 0, 1, 2, ... arrive in order, once; keeps nothing else. */
    private static final class CheckingApplier implements ChangeApplier {
        volatile long rows;
        volatile boolean inOrder = true;
        volatile int batches;

        @Override
        public Optional<Lsn> start(ApplierContext context) {
            return Optional.empty();
        }

        @Override
        public void apply(Batch batch) {
            long seen = 0;
            boolean ordered = true;
            for (ChangeEvent event = batch.next(); event != null; event = batch.next()) {
                if (event instanceof InsertEvent insert) {
                    ordered &= ((Long) insert.row().get(0)) == seen;
                    seen++;
                }
            }
            rows += seen;
            inOrder &= ordered;
            batches++;
        }

        @Override
        public void close() {}
    }
}

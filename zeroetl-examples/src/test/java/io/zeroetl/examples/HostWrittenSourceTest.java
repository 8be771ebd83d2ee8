package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.CommitEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.change.ValueType;
import io.zeroetl.examples.memory.InMemoryTarget;
import io.zeroetl.spi.StreamItem;
import io.zeroetl.spi.StreamRequest;
import io.zeroetl.spi.WalReader;
import io.zeroetl.spi.WalStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A source a host writes itself, with no database behind it, runs the whole engine through the public SPI only
 * ({@code io.zeroetl}, {@code io.zeroetl.spi}, {@code io.zeroetl.change}): its typed events reach the target in
 * transaction order, and after a stop the engine asks it to resume exactly after what the target committed.
 */
class HostWrittenSourceTest {
    private static final TableId ITEMS = TableId.of("shop", "items");
    private static final TableSchema SCHEMA = new TableSchema(
            ITEMS,
            List.of(
                    new Column("id", ColumnType.of(ValueType.INT32), true, false),
                    new Column("qty", ColumnType.of(ValueType.INT32), false, true)),
            TableSchema.ReplicaIdentity.DEFAULT);

    @Test
    void generatedTransactionsArriveExactlyOnceAcrossARestart() throws Exception {
        GeneratedLog log = new GeneratedLog(new Random(31));
        Map<Integer, Integer> expected = log.append(200);
        InMemoryTarget target = new InMemoryTarget();
        try (Pipeline pipeline =
                ZeroEtl.from(log).to(target).tables("shop.items").start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(contents(target)).isEqualTo(expected);
        Lsn committed = target.position("zeroetl").orElseThrow();
        assertThat(committed).isEqualTo(log.end());

        expected = log.append(150);
        try (Pipeline pipeline =
                ZeroEtl.from(log).to(target).tables("shop.items").start()) {
            assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(log.resumedAfter)
                .as("the second run asked to resume exactly after the first run's last commit")
                .containsExactly(Lsn.NONE, committed);
        assertThat(contents(target)).as("every change once, none twice").isEqualTo(expected);
    }

    private static Map<Integer, Integer> contents(InMemoryTarget target) {
        Map<Integer, Integer> rows = new TreeMap<>();
        for (Map<String, Object> row : target.rows(ITEMS)) {
            Integer before = rows.put((Integer) row.get("id"), (Integer) row.get("qty"));
            assertThat(before).as("one row per key").isNull();
        }
        return rows;
    }

    /**
     * A log of generated transactions (inserts, updates that add to a quantity, deletes), served as a source:
     * every transaction commits at a position of its own, and a stream starts after the position asked for.
     */
    private static final class GeneratedLog implements Source, WalReader {
        private final Random random;
        private final List<StreamItem> items = new CopyOnWriteArrayList<>();
        private final Map<Integer, Integer> state = new TreeMap<>();
        private final List<Lsn> resumedAfter = new CopyOnWriteArrayList<>();
        private long next = 1000;

        GeneratedLog(Random random) {
            this.random = random;
        }

        /** Appends {@code count} transactions; returns what the table holds after them. */
        Map<Integer, Integer> append(int count) {
            for (int i = 0; i < count; i++) {
                List<ChangeEvent> changes = new ArrayList<>();
                for (int c = 1 + random.nextInt(4); c > 0; c--) {
                    int id = random.nextInt(40);
                    Integer qty = state.get(id);
                    if (qty == null) {
                        state.put(id, 1);
                        changes.add(new InsertEvent(ITEMS, Row.of(id, 1), 32));
                    } else if (random.nextInt(5) == 0) {
                        state.remove(id);
                        changes.add(new DeleteEvent(ITEMS, Row.of(id, null), true, 32));
                    } else {
                        state.put(id, qty + 1);
                        changes.add(new UpdateEvent(ITEMS, null, false, Row.of(id, qty + 1), 32));
                    }
                }
                Lsn commit = Lsn.of(next + 100);
                Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(next);
                items.add(StreamItem.of(Lsn.of(next), Lsn.NONE, new BeginEvent(next, commit, at)));
                for (ChangeEvent change : changes) {
                    items.add(StreamItem.of(Lsn.of(next + 1), Lsn.NONE, change));
                }
                items.add(StreamItem.of(Lsn.of(next + 101), Lsn.NONE, new CommitEvent(commit, Lsn.of(next + 101), at)));
                next += 1000;
            }
            return new TreeMap<>(state);
        }

        Lsn end() {
            return items.get(items.size() - 1).position();
        }

        @Override
        public WalReader reader() {
            return this;
        }

        @Override
        public WalStream open(StreamRequest request) {
            resumedAfter.add(request.resumeAfter());
            return new WalStream() {
                private int at = firstAfter(request.resumeAfter());
                private boolean described;

                @Override
                public StreamItem read(Duration timeout) {
                    if (at >= items.size()) {
                        return StreamItem.progress(end());
                    }
                    StreamItem item = items.get(at);
                    if (!described && item.event() instanceof RowChange) {
                        // a stream describes a table before its first change, as a session of a database does
                        described = true;
                        return StreamItem.of(item.position(), Lsn.NONE, new RelationEvent(SCHEMA));
                    }
                    at++;
                    return item;
                }

                @Override
                public void acknowledge(Lsn durable) {
                    // nothing to release: the log is kept whole
                }

                @Override
                public void close() {}
            };
        }

        /** The index of the first transaction committing after {@code position}. */
        private int firstAfter(Lsn position) {
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).event() instanceof BeginEvent begin
                        && begin.commitLsn().isAfter(position)) {
                    return i;
                }
            }
            return items.size();
        }

        @Override
        public Lsn currentPosition() {
            return end();
        }
    }
}

package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.change.ValueType;
import io.zeroetl.conformance.ScriptedBatch;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random histories of a few rows — inserts, updates that leave a large value unchanged (as PostgreSQL
 * sends an unchanged TOAST value), updates of it, key moves that leave it unchanged, deletes, keys reused, a
 * column added mid-batch — applied in random batches: the target holds exactly what a model of the source holds,
 * every unchanged value found in the batch or the target, never a table failed for lack of one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnchangedValuesGeneratedIT {
    private static final ColumnType INT = ColumnType.of(ValueType.INT32);
    private static final ColumnType TEXT = ColumnType.of(ValueType.STRING);

    private RedshiftEmulator redshift;
    private RedshiftTarget target;

    @BeforeAll
    void start() {
        redshift = RedshiftEmulator.builder().start();
        target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .build();
    }

    @AfterAll
    void stop() {
        assertThat(redshift.rejectedStatements())
                .as("statements the emulator rejected")
                .isEmpty();
        redshift.close();
    }

    /**
     * Seeds 1-20, and 95 and 239, whose histories once landed another incarnation's value (a key vacated by a move
     * and taken again by another in the batch); {@code -Dgen.seeds=N} runs 1-N instead (300 ran clean).
     */
    static LongStream seeds() {
        String many = System.getProperty("gen.seeds");
        return many != null
                ? LongStream.rangeClosed(1, Long.parseLong(many))
                : LongStream.concat(LongStream.rangeClosed(1, 20), LongStream.of(95, 239));
    }

    /** One row of the model: its quantity and its large note. */
    private record Values(int qty, String note) {}

    @ParameterizedTest
    @MethodSource("seeds")
    void randomHistoriesLandExactly(long seed) throws Exception {
        Random random = new Random(seed);
        TableId table = TableId.of("gen", "toast_" + seed);
        Map<Integer, Values> model = new TreeMap<>();
        boolean wide = false;
        int nextKey = 1;
        long commit = 100;
        try (ChangeApplier applier = target.applier()) {
            applier.start(new ApplierContext("gen_" + seed, Set.of(table)));
            for (int b = 0; b < 12; b++) {
                ScriptedBatch batch = new ScriptedBatch(commit);
                int transactions = 1 + random.nextInt(6);
                for (int t = 0; t < transactions; t++) {
                    List<ChangeEvent> events = new ArrayList<>();
                    if (random.nextInt(10) == 0) {
                        wide = !wide; // a column added (or dropped) at the source: the staged rows are merged first
                    }
                    events.add(new RelationEvent(schema(table, wide)));
                    for (int i = 1 + random.nextInt(5); i > 0; i--) {
                        nextKey = change(random, table, model, events, nextKey, wide);
                    }
                    batch.transaction(events.toArray(ChangeEvent[]::new));
                    commit += 10;
                }
                if (Boolean.getBoolean("gen.trace")) {
                    System.out.println("BATCH " + b + " " + trace(batch.again()));
                }
                applier.apply(batch);
                commit += 10;
            }
            assertThat(applier.failedTables())
                    .as("seed %d: no table failed", seed)
                    .isEmpty();
        }
        Map<Integer, Values> landed = new TreeMap<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, qty, note FROM " + table.quoted())) {
            while (rs.next()) {
                assertThat(landed.put(rs.getInt(1), new Values(rs.getInt(2), rs.getString(3))))
                        .as("seed %d: one row per key", seed)
                        .isNull();
            }
        }
        assertThat(summary(landed)).as("seed %d", seed).isEqualTo(summary(model));
    }

    /** Each row as its key, quantity, and its note's start and length. */
    private static Map<Integer, String> summary(Map<Integer, Values> rows) {
        Map<Integer, String> out = new TreeMap<>();
        rows.forEach((k, v) -> out.put(
                k,
                v.qty() + " "
                        + (v.note() == null
                                ? null
                                : v.note().substring(0, 21) + "/" + v.note().length())));
        return out;
    }

    /** Adds one random change to {@code events} and to the model; returns the next unused key. */
    private static int change(
            Random random,
            TableId table,
            Map<Integer, Values> model,
            List<ChangeEvent> events,
            int nextKey,
            boolean wide) {
        List<Integer> keys = new ArrayList<>(model.keySet());
        int op = keys.isEmpty() ? 0 : random.nextInt(10);
        if (op <= 2) {
            // a new key, or (now and then) a key deleted earlier used again
            int key = random.nextInt(4) == 0 && nextKey > 1 ? 1 + random.nextInt(nextKey - 1) : nextKey++;
            if (model.containsKey(key)) {
                key = nextKey++;
            }
            Values v = new Values(random.nextInt(100), note(random));
            model.put(key, v);
            events.add(new InsertEvent(table, row(wide, key, v.qty(), v.note()), 64));
            return nextKey;
        }
        int key = keys.get(random.nextInt(keys.size()));
        Values v = model.get(key);
        if (op <= 5) {
            Values after = new Values(v.qty() + 1, v.note());
            model.put(key, after);
            events.add(new UpdateEvent(table, null, false, row(wide, key, after.qty(), Row.UNCHANGED), 64));
        } else if (op == 6) {
            Values after = new Values(v.qty(), note(random));
            model.put(key, after);
            events.add(new UpdateEvent(table, null, false, row(wide, key, v.qty(), after.note()), 64));
        } else if (op <= 8) {
            // a key move that leaves the large value unchanged, to a new key or one deleted earlier
            int to = random.nextInt(3) == 0 ? 1 + random.nextInt(nextKey) : nextKey;
            if (model.containsKey(to) || to == nextKey) {
                to = nextKey++;
            }
            model.remove(key);
            Values after = new Values(v.qty() + 1000, v.note());
            model.put(to, after);
            events.add(new UpdateEvent(table, keyRow(wide, key), true, row(wide, to, after.qty(), Row.UNCHANGED), 64));
        } else {
            model.remove(key);
            events.add(new DeleteEvent(table, keyRow(wide, key), true, 64));
        }
        return nextKey;
    }

    private static String trace(ScriptedBatch batch) {
        StringBuilder sb = new StringBuilder();
        for (ChangeEvent e = batch.next(); e != null; e = batch.next()) {
            String text = e.toString().replaceAll("x{20,}", "x..");
            sb.append("\n  ").append(text.length() > 300 ? text.substring(0, 300) : text);
        }
        return sb.toString();
    }

    private static TableSchema schema(TableId table, boolean wide) {
        List<Column> columns = new ArrayList<>(List.of(
                new Column("id", INT, true, false),
                new Column("qty", INT, false, true),
                new Column("note", TEXT, false, true)));
        if (wide) {
            columns.add(new Column("extra", INT, false, true));
        }
        return new TableSchema(table, columns, TableSchema.ReplicaIdentity.DEFAULT);
    }

    private static Row row(boolean wide, int key, int qty, Object note) {
        return wide ? Row.of(key, qty, note, null) : Row.of(key, qty, note);
    }

    private static Row keyRow(boolean wide, int key) {
        return wide ? Row.of(key, null, null, null) : Row.of(key, null, null);
    }

    private static String note(Random random) {
        return "note-" + Long.toHexString(random.nextLong()) + "-" + "x".repeat(random.nextInt(3000));
    }
}

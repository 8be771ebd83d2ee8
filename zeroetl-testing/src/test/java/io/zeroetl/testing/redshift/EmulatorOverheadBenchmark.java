package io.zeroetl.testing.redshift;

import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures the emulator's overhead: 100,000 rows loaded by multi-row INSERTs (1,000 rows a statement)
 * through the emulator with the Redshift driver, against the same load straight into PostgreSQL with
 * pgjdbc. Alternates the two, five rounds each, and prints the medians and their ratio. A benchmark,
 * not a test: run it with the command in zeroetl-testing/README.md.
 */
public final class EmulatorOverheadBenchmark {
    private static final int ROWS = 100_000;
    private static final int ROWS_PER_STATEMENT = 1_000;
    private static final int ROUNDS = 5;

    private EmulatorOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.shared();
        List<String> inserts = inserts();
        List<Long> direct = new ArrayList<>();
        List<Long> emulated = new ArrayList<>();
        try (RedshiftEmulator redshift =
                RedshiftEmulator.builder().postgres(postgres).start()) {
            String db = postgres.createDatabase();
            for (int round = 0; round <= ROUNDS; round++) {
                long d;
                try (Connection c = postgres.connect(db)) {
                    d = load(c, "VARCHAR(100)", inserts);
                }
                long e;
                try (Connection c = redshift.connect()) {
                    e = load(c, "VARCHAR(100)", inserts);
                }
                if (round > 0) {
                    direct.add(d);
                    emulated.add(e);
                }
                System.out.printf("round %d: direct %d ms, emulator %d ms%n", round, d / 1_000_000, e / 1_000_000);
            }
        }
        long d = median(direct);
        long e = median(emulated);
        System.out.printf(
                "RESULT %,d rows: PostgreSQL direct (pgjdbc) %d ms, through the emulator (Redshift driver)"
                        + " %d ms, ratio %.2fx%n",
                ROWS, d / 1_000_000, e / 1_000_000, (double) e / d);
    }

    private static long load(Connection c, String text, List<String> inserts) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_load");
            s.execute(
                    "CREATE TABLE bench_load (id INTEGER, name " + text + ", amount DECIMAL(12,2), created TIMESTAMP)");
            long start = System.nanoTime();
            for (String insert : inserts) {
                s.execute(insert);
            }
            return System.nanoTime() - start;
        }
    }

    private static List<String> inserts() {
        List<String> statements = new ArrayList<>();
        for (int first = 0; first < ROWS; first += ROWS_PER_STATEMENT) {
            StringBuilder sql = new StringBuilder("INSERT INTO bench_load VALUES ");
            for (int id = first; id < first + ROWS_PER_STATEMENT; id++) {
                sql.append(id == first ? "" : ", ")
                        .append('(')
                        .append(id)
                        .append(", 'customer name ")
                        .append(id)
                        .append("', ")
                        .append(id % 10_000)
                        .append(".25, '2026-01-01 12:00:00')");
            }
            statements.add(sql.toString());
        }
        return statements;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}

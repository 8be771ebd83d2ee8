package io.zeroetl.examples;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A seeded writer for tables {@code (id int PRIMARY KEY, n int, note text, ...)}: inserts, updates that leave the
 * large {@code note} unchanged (so it travels as an unchanged TOAST value), key moves, deletes, multi-row
 * transactions and, when asked, ADD and DROP COLUMN — on keys from {@code 1000} up, so rows below are the test's
 * own. Runs on its own thread until {@link #close}.
 */
final class MixedWorkload implements AutoCloseable {
    /** A value of about 2.5 kB that does not compress: stored out of line (TOASTed). */
    private static final String LARGE = "(SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 80))";

    private final LiveRig rig;
    private final List<String> tables;
    private final boolean ddl;
    private final Random random;
    private final Thread thread;
    private final AtomicLong transactions = new AtomicLong();
    private volatile boolean stop;
    private volatile Throwable failure;

    MixedWorkload(LiveRig rig, List<String> tables, boolean ddl, long seed) {
        this.rig = rig;
        this.tables = tables;
        this.ddl = ddl;
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "mixed-workload");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    long transactions() {
        return transactions.get();
    }

    private void run() {
        try {
            rig.onSource(c -> {
                int extra = 0;
                while (!stop) {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        int statements = 1 + random.nextInt(4);
                        for (int i = 0; i < statements; i++) {
                            s.execute(change(tables.get(random.nextInt(tables.size()))));
                        }
                    }
                    c.commit();
                    c.setAutoCommit(true);
                    transactions.incrementAndGet();
                    if (ddl && random.nextInt(150) == 0) {
                        String table = tables.get(random.nextInt(tables.size()));
                        try (Statement s = c.createStatement()) {
                            s.execute(
                                    extra++ % 2 == 0
                                            ? "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS extra int DEFAULT 7"
                                            : "ALTER TABLE " + table + " DROP COLUMN IF EXISTS extra");
                        }
                    }
                    LockSupport.parkNanos(random.nextInt(3) * 1_000_000L);
                }
            });
        } catch (SQLException | RuntimeException e) {
            failure = e;
        }
    }

    private String change(String table) {
        int id = 1000 + random.nextInt(400);
        return switch (random.nextInt(6)) {
            case 0, 1 ->
                "INSERT INTO " + table + " (id, n, note) VALUES (" + id + ", " + random.nextInt(1000) + ", " + LARGE
                        + ") ON CONFLICT (id) DO UPDATE SET n = excluded.n";
            case 2, 3 -> "UPDATE " + table + " SET n = n + 1 WHERE id BETWEEN " + id + " AND " + (id + 5);
            // a key move: the row goes to a free key, its large note unchanged
            case 4 -> {
                int to = 1000 + random.nextInt(400);
                yield "UPDATE " + table + " SET id = " + to + " WHERE id = " + id + " AND NOT EXISTS (SELECT 1 FROM "
                        + table + " WHERE id = " + to + ")";
            }
            default -> "DELETE FROM " + table + " WHERE id = " + id;
        };
    }

    @Override
    public void close() throws Exception {
        stop = true;
        thread.join(30_000);
        if (failure != null) {
            throw new AssertionError("the workload failed", failure);
        }
    }

    /** Creates {@code table} in the workload's shape with {@code rows} rows of keys 1.., notes large enough to be TOASTed. */
    static void create(Connection c, String table, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, n int, note text)");
            s.execute("INSERT INTO " + table + " SELECT g, g, (SELECT string_agg(md5(g::text || ':' || k), '')"
                    + " FROM generate_series(1, 80) k) FROM generate_series(1, " + rows + ") g");
        }
    }
}

package io.zeroetl.reliability;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A concurrent mixed workload on the source, running until closed: transactions of 1–20 statements that
 * insert (some rows with a TOASTed note), update quantities only (the note stays an unchanged TOAST value),
 * rewrite notes, delete, and move rows to new keys, on {@code orders} and on {@code accounts} (history
 * mode; an audit table counts every change per key); one thread also changes the schema now and then:
 * columns added, retyped and dropped, tables created while running. Failed transactions (deadlocks, key
 * collisions between the threads) roll back and count as nothing.
 */
final class MixedWorkload implements AutoCloseable {
    private final Rig rig;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong nextOrder;
    private final AtomicLong nextAccount;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();
    private final AtomicInteger ddl = new AtomicInteger();
    private volatile boolean accountsChanges;
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    private MixedWorkload(Rig rig, long orders, long accounts) {
        this.rig = rig;
        this.nextOrder = new AtomicLong(orders + 1);
        this.nextAccount = new AtomicLong(accounts + 1);
    }

    /** Creates {@code orders} and {@code accounts} with their first rows, before any pipeline starts. */
    static void createTables(Rig rig, long orders, long accounts) throws SQLException {
        rig.sql(
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer TEXT NOT NULL, qty INT, note TEXT,"
                        + " updated TIMESTAMPTZ DEFAULT now())",
                "CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance NUMERIC(12,2), owner TEXT)",
                "CREATE TABLE accounts_audit (seq BIGSERIAL PRIMARY KEY, id BIGINT NOT NULL, op CHAR(1) NOT NULL)",
                "CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF TG_OP = 'INSERT' THEN INSERT INTO accounts_audit (id, op) VALUES (NEW.id, 'I');"
                        + " ELSIF TG_OP = 'DELETE' THEN INSERT INTO accounts_audit (id, op) VALUES (OLD.id, 'D');"
                        + " ELSIF OLD.id <> NEW.id THEN INSERT INTO accounts_audit (id, op) VALUES (OLD.id, 'D'), (NEW.id, 'I');"
                        + " ELSE INSERT INTO accounts_audit (id, op) VALUES (NEW.id, 'U'); END IF; RETURN NULL; END $$",
                "CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION audit()",
                "INSERT INTO orders (id, customer, qty, note) SELECT g, 'customer-' || g, g % 7, CASE WHEN g % 10 = 0"
                        + " THEN " + bigNote() + " ELSE 'short ' || g END FROM generate_series(1, " + orders + ") g",
                "INSERT INTO accounts SELECT g, g * 1.5, 'owner-' || g FROM generate_series(1, " + accounts + ") g");
    }

    /** A note of about 6 KB of random hex: PostgreSQL keeps it out of line (TOAST), compressed or not. */
    static String bigNote() {
        return "(SELECT string_agg(md5(random()::text || i), '') FROM generate_series(1, 200) i)";
    }

    static MixedWorkload start(Rig rig, long orders, long accounts, int threads, boolean schemaChanges) {
        return start(rig, orders, accounts, threads, schemaChanges, true);
    }

    /**
     * Starts the threads; with {@code accountsFromStart} false, {@code accounts} is left alone until
     * {@link #startAccountChanges()} (so a history-mode target can be checked against every audited change).
     */
    static MixedWorkload start(
            Rig rig, long orders, long accounts, int threads, boolean schemaChanges, boolean accountsFromStart) {
        MixedWorkload w = new MixedWorkload(rig, orders, accounts);
        w.accountsChanges = accountsFromStart;
        for (int i = 0; i < threads; i++) {
            boolean changesSchema = schemaChanges && i == 0;
            long seed = 7919L * (i + 1);
            Thread t = new Thread(() -> w.run(new Random(seed), changesSchema), "workload-" + i);
            t.setDaemon(true);
            w.threads.add(t);
            t.start();
        }
        return w;
    }

    void startAccountChanges() {
        accountsChanges = true;
    }

    private void run(Random random, boolean changesSchema) {
        int n = 0;
        while (running.get()) {
            try (Connection c = rig.connect();
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                while (running.get()) {
                    n++;
                    try {
                        if (changesSchema && n % 150 == 0) {
                            schemaChange(s, random);
                        } else {
                            transaction(s, random);
                        }
                        c.commit();
                        committed.incrementAndGet();
                    } catch (SQLException e) {
                        c.rollback();
                        rolledBack.incrementAndGet();
                        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                            throw e;
                        }
                    }
                    // about 30 transactions/s a thread: a steady stream the pipeline keeps up with on 2 cores,
                    // so a long run measures faults, not a growing backlog
                    TimeUnit.MILLISECONDS.sleep(15 + random.nextInt(40));
                }
            } catch (SQLException e) {
                pause(); // the source is being restarted: connect again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                errors.add(e);
                return;
            }
        }
    }

    private void transaction(Statement s, Random random) throws SQLException {
        int statements = 1 + random.nextInt(20);
        for (int i = 0; i < statements; i++) {
            int op = random.nextInt(accountsChanges ? 100 : 77);
            long order = 1 + (long) random.nextInt((int) nextOrder.get());
            long account = 1 + (long) random.nextInt((int) nextAccount.get());
            if (op < 40) {
                long id = nextOrder.getAndIncrement();
                s.execute("INSERT INTO orders (id, customer, qty, note) VALUES (" + id + ", 'c-" + id + "', "
                        + random.nextInt(100) + ", " + (random.nextInt(5) == 0 ? bigNote() : "'n" + id + "'") + ")");
            } else if (op < 60) {
                s.execute("UPDATE orders SET qty = qty + 1 WHERE id BETWEEN " + order + " AND " + (order + 3));
            } else if (op < 65) {
                s.execute("UPDATE orders SET note = " + bigNote() + " WHERE id = " + order);
            } else if (op < 74) {
                s.execute("DELETE FROM orders WHERE id = " + order);
            } else if (op < 77) {
                s.execute("UPDATE orders SET id = " + nextOrder.getAndIncrement() + ", qty = qty + 1000 WHERE id = "
                        + order);
            } else if (op < 85) {
                s.execute("INSERT INTO accounts VALUES (" + nextAccount.getAndIncrement() + ", " + random.nextInt(1000)
                        + ", 'o')");
            } else if (op < 94) {
                s.execute("UPDATE accounts SET balance = balance + 1 WHERE id = " + account);
            } else if (op < 97) {
                s.execute("DELETE FROM accounts WHERE id = " + account);
            } else {
                s.execute("UPDATE accounts SET id = " + nextAccount.getAndIncrement() + " WHERE id = " + account);
            }
        }
    }

    /** Adds a column, widens it, fills it, drops an older one; every third time creates a table instead. */
    private void schemaChange(Statement s, Random random) throws SQLException {
        int k = ddl.incrementAndGet();
        if (k % 3 == 0) {
            String table = "extra_" + k;
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO " + table + " SELECT g, 'v' || g FROM generate_series(1, 500) g");
            return;
        }
        s.execute("ALTER TABLE orders ADD COLUMN c" + k + " INT");
        s.execute("UPDATE orders SET c" + k + " = qty WHERE id % 50 = " + random.nextInt(50));
        s.execute("ALTER TABLE orders ALTER COLUMN c" + k + " TYPE BIGINT");
        if (k > 2) {
            s.execute("ALTER TABLE orders DROP COLUMN IF EXISTS c" + (k - 2));
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the threads and rethrows what broke the workload itself. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(2));
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("the workload broke", errors.peek());
        }
    }

    @Override
    public String toString() {
        return committed + " transactions committed (" + rolledBack + " rolled back), " + ddl + " schema changes";
    }
}

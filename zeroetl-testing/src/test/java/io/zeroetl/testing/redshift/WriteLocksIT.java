package io.zeroetl.testing.redshift;

import static io.zeroetl.testing.redshift.EmulatorFixture.column;
import static io.zeroetl.testing.redshift.EmulatorFixture.postgres;
import static io.zeroetl.testing.redshift.EmulatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.RedshiftEmulator.Isolation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redshift's write locks (c_serial_isolation, r_Serializable_isolation_example, c_write_readwrite): a write to a
 * table another open transaction wrote waits until that one ends, where PostgreSQL's row locks would let it go
 * on; under SNAPSHOT isolation inserts share the table and deletes and updates do not. Readers never wait. Which
 * isolation a database has, STV_DB_ISOLATION_LEVEL says.
 */
class WriteLocksIT {
    private static RedshiftEmulator serializable;
    private static RedshiftEmulator snapshot;
    private static final ExecutorService POOL = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        serializable = RedshiftEmulator.builder().start();
        snapshot = RedshiftEmulator.builder().isolation(Isolation.SNAPSHOT).start();
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
        serializable.close();
        snapshot.close();
    }

    @Test
    void underSerializableAnInsertWaitsForAnotherTransactionsInsertIntoTheTable() throws Exception {
        run(serializable, "CREATE TABLE wl_ins (k INT)");
        assertThat(waits(serializable, "INSERT INTO wl_ins VALUES (1)", "INSERT INTO wl_ins VALUES (2)"))
                .isEqualTo(new Outcome(true, null));
        assertThat(column(serializable, "SELECT COUNT(*) FROM wl_ins")).containsExactly("2");
    }

    /**
     * The second transaction read before the first committed (its snapshot is older), so after the wait the rows
     * it would delete are potentially stale (c_write_readwrite): a serializable isolation violation.
     */
    @Test
    void underSerializableADeleteOfOtherRowsWaitsForAnotherTransactionsDeleteThenFindsItsSnapshotStale()
            throws Exception {
        run(serializable, "CREATE TABLE wl_del (k INT)", "INSERT INTO wl_del VALUES (1), (2)");
        Outcome outcome = waits(serializable, "DELETE FROM wl_del WHERE k = 1", "DELETE FROM wl_del WHERE k = 2");
        assertThat(outcome.waited()).isTrue();
        assertThat((Throwable) outcome.failure()).isNotNull();
        assertThat(outcome.failure().getMessage()).contains("1023");
        assertThat(column(serializable, "SELECT k FROM wl_del")).containsExactly("2");
    }

    @Test
    void underSnapshotInsertsShareTheTable() throws Exception {
        run(snapshot, "CREATE TABLE wl_sins (k INT)");
        assertThat(waits(snapshot, "INSERT INTO wl_sins VALUES (1)", "INSERT INTO wl_sins VALUES (2)"))
                .isEqualTo(new Outcome(false, null));
    }

    @Test
    void underSnapshotADeleteWaitsForAnInsertAndDeletesOfOtherRowsThenBothCommit() throws Exception {
        run(snapshot, "CREATE TABLE wl_sdel (k INT)", "INSERT INTO wl_sdel VALUES (1), (2)");
        assertThat(waits(snapshot, "INSERT INTO wl_sdel VALUES (3)", "DELETE FROM wl_sdel WHERE k = 2"))
                .isEqualTo(new Outcome(true, null));
        assertThat(waits(snapshot, "DELETE FROM wl_sdel WHERE k = 1", "DELETE FROM wl_sdel WHERE k = 3"))
                .isEqualTo(new Outcome(true, null));
        assertThat(column(snapshot, "SELECT COUNT(*) FROM wl_sdel")).containsExactly("0");
    }

    @Test
    void readersAndOtherTablesNeverWait() throws Exception {
        run(serializable, "CREATE TABLE wl_r1 (k INT)", "CREATE TABLE wl_r2 (k INT)");
        assertThat(waits(serializable, "INSERT INTO wl_r1 VALUES (1)", "SELECT COUNT(*) FROM wl_r1"))
                .isEqualTo(new Outcome(false, null));
        assertThat(waits(serializable, "INSERT INTO wl_r1 VALUES (5)", "INSERT INTO wl_r2 VALUES (1)"))
                .isEqualTo(new Outcome(false, null));
    }

    @Test
    void aSessionsTemporaryTableIsItsOwn() throws Exception {
        // a temporary table is no other session's: nothing to wait for, and nothing installed on it
        try (Connection c = serializable.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE wl_temp (k INT)");
            s.execute("INSERT INTO wl_temp VALUES (1)");
        }
        assertThat(postgres(
                        serializable,
                        "SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'zeroetl_write_lock'"
                                + " AND tgrelid IN (SELECT oid FROM pg_class WHERE relname = 'wl_temp')"))
                .containsExactly("0");
    }

    @Test
    void stvDbIsolationLevelSaysWhichIsolationTheDatabaseHas() throws SQLException {
        assertThat(column(
                        serializable,
                        "SELECT TRIM(isolation_level) FROM stv_db_isolation_level"
                                + " WHERE db_name = CURRENT_DATABASE()"))
                .containsExactly("Serializable");
        assertThat(column(
                        snapshot,
                        "SELECT TRIM(isolation_level) FROM stv_db_isolation_level"
                                + " WHERE db_name = CURRENT_DATABASE()"))
                .containsExactly("Snapshot Isolation");
    }

    /** Whether the second statement waited for a lock, and how its transaction failed (null: it committed). */
    record Outcome(boolean waited, SQLException failure) {}

    /**
     * Runs {@code first} in an open transaction, then {@code second} in another session's transaction (which
     * has read already), and says whether the second waited for a lock (seen in the backing database) until the
     * first committed, and how it ended.
     */
    private static Outcome waits(RedshiftEmulator redshift, String first, String second) throws Exception {
        try (Connection a = redshift.connect();
                Connection b = redshift.connect();
                Statement sa = a.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.execute(first);
            int pid = Integer.parseInt(column(b, "SELECT PG_BACKEND_PID()").get(0));
            CompletableFuture<SQLException> done = CompletableFuture.supplyAsync(
                    () -> {
                        try (Statement sb = b.createStatement()) {
                            sb.execute(second);
                            b.commit();
                            return null;
                        } catch (SQLException e) {
                            return e;
                        }
                    },
                    POOL);
            boolean waited = false;
            // the second either finishes or is seen waiting for a lock: whichever comes first decides
            try (Connection backing = redshift.connectPostgres()) {
                while (!done.isDone()) {
                    List<String> waiting = column(
                            backing,
                            "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = " + pid
                                    + " AND wait_event_type = 'Lock'");
                    if (waiting.get(0).equals("1")) {
                        waited = true;
                        break;
                    }
                    // until it finishes, or 10 ms pass and the backing database is asked again
                    done.handle((v, e) -> null)
                            .completeOnTimeout(null, 10, TimeUnit.MILLISECONDS)
                            .join();
                }
            }
            a.commit();
            return new Outcome(waited, done.get(30, TimeUnit.SECONDS));
        }
    }
}

package io.zeroetl.reliability;

import static io.zeroetl.reliability.HostileCase.Outcome.REPLICATED;
import static io.zeroetl.reliability.HostileCatalog.BIG_TRANSACTION;
import static io.zeroetl.reliability.HostileCatalog.TINY_TRANSACTIONS;

import java.util.List;

/** Hostile catalog cases: transaction shapes: huge, tiny and many, savepoints, rolled back. */
final class HostileTransactions {
    private HostileTransactions() {}

    static void addTo(HostileCatalog c) {
        c.section = "transaction";
        c.table(
                "empty transaction and one touching only unselected tables",
                "h_tx_empty",
                List.of(
                        "BEGIN; COMMIT",
                        "CREATE TEMP TABLE scratch (x int); INSERT INTO scratch VALUES (1)",
                        "INSERT INTO h_tx_empty VALUES (3, 'c', 3)"),
                REPLICATED,
                null);
        c.table(
                "one transaction of 1 M rows (200,000 in the quick version)",
                "h_tx_big",
                List.of("INSERT INTO h_tx_big SELECT g, 'r' || g, g" + " FROM generate_series(10, "
                        + (BIG_TRANSACTION + 9) + ") g"),
                REPLICATED,
                null);
        c.table(
                "10,000 tiny transactions",
                "h_tx_tiny",
                List.of("DO $$ BEGIN FOR i IN 10.." + (TINY_TRANSACTIONS + 9)
                        + " LOOP INSERT INTO h_tx_tiny VALUES (i, 't', i); COMMIT; END LOOP; END $$"),
                REPLICATED,
                null);
        c.table(
                "a large streamed transaction rolled back",
                "h_tx_abort",
                List.of(
                        "DO $$ BEGIN INSERT INTO h_tx_abort SELECT g,"
                                + " repeat('z', 200), g FROM generate_series(10, 50009) g; RAISE EXCEPTION 'rolled back'; END $$"),
                REPLICATED,
                null);
        c.table(
                "savepoints rolled back",
                "h_tx_savepoint",
                List.of(
                        "BEGIN; INSERT INTO h_tx_savepoint VALUES (3, 'kept', 3);"
                                + " SAVEPOINT s; INSERT INTO h_tx_savepoint VALUES (4, 'gone', 4); UPDATE h_tx_savepoint SET v = 'gone'"
                                + " WHERE id = 1; ROLLBACK TO SAVEPOINT s; INSERT INTO h_tx_savepoint VALUES (5, 'kept', 5); COMMIT"),
                REPLICATED,
                null);
        c.table(
                "TRUNCATE",
                "h_truncate",
                List.of("TRUNCATE h_truncate", "INSERT INTO h_truncate VALUES (9, 'after', 9)"),
                REPLICATED,
                null);
    }
}

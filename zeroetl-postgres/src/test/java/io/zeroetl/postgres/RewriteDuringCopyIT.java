package io.zeroetl.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.Secret;
import io.zeroetl.TableId;
import io.zeroetl.postgres.internal.replication.Connections;
import io.zeroetl.postgres.internal.snapshot.CopyPlan;
import io.zeroetl.postgres.internal.snapshot.SnapshotStream;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A table rewritten (ALTER TABLE ... TYPE) or truncated after the copy's snapshot was exported and before the
 * copy locked it looks empty to that snapshot, as PostgreSQL documents for these non-MVCC-safe commands: the
 * copy must not deliver it empty but start over. (Found by the crash test: a workload's column retype landed
 * in that window and a 20,000-row table was copied as 0 rows.)
 */
class RewriteDuringCopyIT {
    private static final TableId ORDERS = TableId.of("public", "orders");

    @Test
    void aTableRewrittenAfterTheSnapshotIsNeverCopiedAsEmpty() throws Exception {
        for (String rewrite : List.of("ALTER TABLE orders ALTER COLUMN c TYPE bigint", "TRUNCATE orders")) {
            copyStartsOver(rewrite, "rewritten or truncated", "CREATE TABLE orders (id int PRIMARY KEY, c int)");
        }
    }

    @Test
    void aPartitionedTableOneOfWhosePartitionsWasTruncatedAfterTheSnapshotIsNeverCopiedWithoutItsRows()
            throws Exception {
        copyStartsOver(
                "TRUNCATE orders_1",
                "rewritten or truncated",
                "CREATE TABLE orders (id int PRIMARY KEY, c int) PARTITION BY HASH (id)",
                "CREATE TABLE orders_0 PARTITION OF orders FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
                "CREATE TABLE orders_1 PARTITION OF orders FOR VALUES WITH (MODULUS 2, REMAINDER 1)");
    }

    @Test
    void aTableRenamedAfterItsCopyWasAskedForOpensTheStreamAgainInsteadOfFailingThePipeline() throws Exception {
        copyStartsOver(
                "ALTER TABLE orders RENAME TO orders_v2",
                "no longer exists by its name",
                "CREATE TABLE orders (id int PRIMARY KEY, c int)");
    }

    /**
     * {@code rewrite} between the snapshot's export and the copy's lock of the table {@code create} makes: the copy
     * fails retriably, saying {@code why}.
     */
    private static void copyStartsOver(String rewrite, String why, String... create) throws Exception {
        try (SourceFixture f = new SourceFixture()) {
            f.sql(create);
            f.sql("INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g");
            try (Connection export = f.pg.connect(f.db)) {
                export.setAutoCommit(false);
                export.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                String snapshot;
                try (Statement s = export.createStatement();
                        ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    snapshot = rs.getString(1);
                }
                f.sql(rewrite);
                SnapshotStream copy = new SnapshotStream(
                        new CopyPlan(
                                new Connections(
                                        f.pg.jdbcUrl(f.db), f.pg.user(), Secret.of(f.pg.password()), new Properties()),
                                export,
                                snapshot,
                                Lsn.of(1),
                                List.of(ORDERS),
                                1,
                                1_000,
                                true,
                                new PgTypes(oid -> null),
                                false,
                                false),
                        null,
                        Map.of());
                assertThatThrownBy(() -> {
                            while (!copy.finished()) {
                                copy.read(Duration.ofSeconds(1));
                            }
                        })
                        .as(rewrite)
                        .isInstanceOf(RetriableException.class)
                        .hasMessageContaining(why);
                copy.close();
            }
        }
    }
}

package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import io.zeroetl.conformance.ScriptedBatch;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.RedshiftEmulator.Isolation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pipelines sharing one target (one per source database: how zeroetl scales out). Under SNAPSHOT isolation, the
 * default of current clusters and Serverless (c_serial_isolation), they write different rows of the state tables
 * and different target tables, so one pipeline's batch commits while another's is in the middle of its merge.
 * Under SERIALIZABLE, where Redshift checks conflicts per table, they take turns: the second waits for the first.
 */
class PipelinesShareATargetIT {
    private static final TableId A = TableId.of("public", "shared_a");
    private static final TableId B = TableId.of("public", "shared_b");

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aBatchCommitsWhileAnotherPipelinesBatchIsMidMergeUnlessTheTargetIsSerializable(Isolation isolation)
            throws Exception {
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (RedshiftEmulator redshift = RedshiftEmulator.builder()
                .isolation(isolation)
                .beforeStatement(sql -> {
                    if (hold.get() && sql.startsWith("INSERT INTO") && sql.contains("shared_a")) {
                        hold.set(false);
                        held.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                })
                .start()) {
            RedshiftTarget target = RedshiftTarget.builder()
                    .jdbcUrl(redshift.jdbcUrl())
                    .user(redshift.user())
                    .password(redshift.password())
                    .ssl(false)
                    .build();
            try (ChangeApplier a = target.applier();
                    ChangeApplier b = target.applier()) {
                a.start(new ApplierContext("pipeline_a", Set.of(A)));
                b.start(new ApplierContext("pipeline_b", Set.of(B)));
                a.apply(batch(A, 1, true));
                b.apply(batch(B, 1, true));

                hold.set(true);
                CompletableFuture<Void> first = CompletableFuture.runAsync(() -> a.apply(batch(A, 2, false)));
                assertThat(held.await(60, TimeUnit.SECONDS))
                        .as("pipeline a's merge reached")
                        .isTrue();
                CompletableFuture<Void> second = CompletableFuture.runAsync(() -> b.apply(batch(B, 2, false)));
                boolean secondWaited = false;
                if (isolation == Isolation.SNAPSHOT) {
                    second.get(60, TimeUnit.SECONDS);
                    assertThat(first).as("pipeline a's batch, still held").isNotDone();
                } else {
                    secondWaited = waitsForALock(redshift, second);
                }
                release.countDown();
                first.get(60, TimeUnit.SECONDS);
                second.get(60, TimeUnit.SECONDS);
                assertThat(secondWaited)
                        .as("pipeline b's batch waited for pipeline a's")
                        .isEqualTo(isolation == Isolation.SERIALIZABLE);
            }
            assertThat(ids(redshift, A)).containsExactly(1L, 2L);
            assertThat(ids(redshift, B)).containsExactly(1L, 2L);
        }
    }

    /** Whether a session of the emulator is seen waiting for a lock before {@code work} is done. */
    private static boolean waitsForALock(RedshiftEmulator redshift, CompletableFuture<Void> work) throws Exception {
        try (Connection c = redshift.connectPostgres();
                Statement s = c.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!work.isDone() && System.nanoTime() < deadline) {
                try (ResultSet rs =
                        s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return true;
                    }
                }
                // until the work finishes, or 10 ms pass and the backing database is asked again
                work.handle((v, e) -> null)
                        .completeOnTimeout(null, 10, TimeUnit.MILLISECONDS)
                        .join();
            }
            return false;
        }
    }

    private static List<Long> ids(RedshiftEmulator redshift, TableId table) throws Exception {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM " + table.quoted() + " ORDER BY id")) {
            List<Long> ids = new java.util.ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            return ids;
        }
    }

    private static ScriptedBatch batch(TableId table, int id, boolean described) {
        RelationEvent relation = new RelationEvent(new TableSchema(
                table,
                List.of(
                        new Column("id", ColumnType.of(ValueType.INT64), true, false),
                        new Column("note", ColumnType.of(ValueType.STRING), false, true)),
                TableSchema.ReplicaIdentity.DEFAULT));
        InsertEvent insert = new InsertEvent(table, Row.of((long) id, "n"), 50);
        return described
                ? new ScriptedBatch(10 * id).transaction(relation, insert)
                : new ScriptedBatch(10 * id).transaction(insert);
    }
}

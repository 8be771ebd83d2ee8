package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fencing, claims and the state tables hold under both of Redshift's isolation levels (c_serial_isolation):
 * SERIALIZABLE, and SNAPSHOT, the default on current provisioned clusters and on Serverless.
 */
class IsolationLevelsIT {
    private static final TableId TABLE = TableId.of("public", "claimed");

    /**
     * Two instances of a new pipeline start at the same moment; the emulator holds each one's first INSERT into
     * the claims table until both are there (or 3 s), the worst interleaving. One claim is recorded after the
     * other: one row, and only the later instance commits — the earlier one is fenced.
     */
    @ParameterizedTest
    @EnumSource(Isolation.class)
    void twoInstancesMakingAPipelinesFirstClaimAtOnceLeaveOneHolder(Isolation isolation) throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        AtomicBoolean held = new AtomicBoolean(true);
        try (RedshiftEmulator redshift = RedshiftEmulator.builder()
                .isolation(isolation)
                .beforeStatement(sql -> {
                    if (held.get() && sql.startsWith("INSERT INTO") && sql.contains("zeroetl_claims")) {
                        both.countDown();
                        try {
                            both.await(3, TimeUnit.SECONDS);
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
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<ChangeApplier> appliers = new ArrayList<>();
            try {
                Future<ChangeApplier> a = pool.submit(() -> started(target));
                Future<ChangeApplier> b = pool.submit(() -> started(target));
                appliers.add(a.get(60, TimeUnit.SECONDS));
                appliers.add(b.get(60, TimeUnit.SECONDS));
                held.set(false);
                try (Connection c = redshift.connect();
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(
                                "SELECT epoch FROM zeroetl.zeroetl_claims" + " WHERE pipeline_id = 'claimed'")) {
                    List<Long> epochs = new ArrayList<>();
                    while (rs.next()) {
                        epochs.add(rs.getLong(1));
                    }
                    // one row, claimed at least twice (a claim that met a serialization conflict is made again)
                    assertThat(epochs).as("the pipeline's claims").hasSize(1);
                    assertThat(epochs.get(0)).as("its epoch").isGreaterThanOrEqualTo(2L);
                }
                int committed = 0;
                int fenced = 0;
                for (ChangeApplier applier : appliers) {
                    try {
                        applier.apply(batch());
                        committed++;
                    } catch (ZeroEtlException e) {
                        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.FENCED);
                        fenced++;
                    }
                }
                assertThat(committed).as("instances whose batch committed").isEqualTo(1);
                assertThat(fenced).as("instances fenced").isEqualTo(1);
                try (Connection c = redshift.connect();
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM public.claimed")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
                for (ChangeApplier applier : appliers) {
                    applier.close();
                }
            }
        }
    }

    /** An applier started for the pipeline, retrying what its target calls retriable (a serialization conflict). */
    private static ChangeApplier started(RedshiftTarget target) {
        ChangeApplier applier = target.applier();
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<Lsn> position = applier.start(new ApplierContext("claimed", Set.of(TABLE)));
                assertThat(position).isEmpty();
                return applier;
            } catch (RetriableException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static ScriptedBatch batch() {
        return new ScriptedBatch(10)
                .transaction(
                        new RelationEvent(new TableSchema(
                                TABLE,
                                List.of(
                                        new Column("id", ColumnType.of(ValueType.INT32), true, false),
                                        new Column("note", ColumnType.of(ValueType.STRING), false, true)),
                                TableSchema.ReplicaIdentity.DEFAULT)),
                        new InsertEvent(TABLE, Row.of(1, "one"), 50));
    }
}

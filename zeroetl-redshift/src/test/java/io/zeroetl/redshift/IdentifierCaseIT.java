package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.FakeReader;
import io.zeroetl.fakes.FakeSource;
import io.zeroetl.fakes.Harness;
import io.zeroetl.testing.RedshiftEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mixed-case names and the cluster's default for {@code enable_case_sensitive_identifier}
 * (r_enable_case_sensitive_identifier): zeroetl's sessions turn it on, an analyst's session has what the
 * parameter group gives; what new sessions get is read at start.
 */
class IdentifierCaseIT {
    private static final TableId MIXED = TableId.of("public", "OrderLines");
    private static final TableId LOWER = TableId.of("public", "orders");

    @Test
    void whenOtherSessionsFoldNamesAMixedCaseTableFailsIfRequiredAndTheOthersGoOn() throws Exception {
        try (RedshiftEmulator redshift = RedshiftEmulator.start()) {
            TableStatus mixed = run(redshift, true).get(0);
            assertThat(mixed.state()).isEqualTo(TableState.FAILED);
            assertThat(mixed.reason())
                    .contains("enable_case_sensitive_identifier")
                    .contains("[OrderLines, Qty]");
            assertThat(run(redshift, true).get(1).state()).isEqualTo(TableState.SYNCED);
        }
    }

    @Test
    void whenOtherSessionsFoldNamesAMixedCaseTableIsOnlyReportedByDefault() throws Exception {
        try (RedshiftEmulator redshift = RedshiftEmulator.start()) {
            assertThat(run(redshift, false))
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo(TableState.SYNCED));
        }
    }

    @Test
    void whenTheParameterGroupKeepsCaseAMixedCaseTableReplicatesAndAnAnalystFindsIt() throws Exception {
        try (RedshiftEmulator redshift =
                RedshiftEmulator.builder().caseSensitiveIdentifiers(true).start()) {
            assertThat(run(redshift, true))
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo(TableState.SYNCED));
            try (var c = redshift.connect();
                    var s = c.createStatement();
                    var rs = s.executeQuery("SELECT \"Qty\" FROM public.\"OrderLines\"")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
        }
    }

    /** Replicates both tables (a new pipeline each time) and returns their status: the mixed one first. */
    private static List<TableStatus> run(RedshiftEmulator redshift, boolean require) {
        FakeLog log = new FakeLog();
        log.transaction(x -> {
            List<ChangeEvent> events = new ArrayList<>();
            ColumnType int4 = ColumnType.named("int4", ValueType.INT32);
            events.add(new RelationEvent(new TableSchema(
                    MIXED,
                    List.of(new Column("id", int4, true, false), new Column("Qty", int4, false, true)),
                    TableSchema.ReplicaIdentity.DEFAULT)));
            events.add(new InsertEvent(MIXED, Row.of(1, 7), 100));
            events.add(new RelationEvent(new TableSchema(
                    LOWER, List.of(new Column("id", int4, true, false)), TableSchema.ReplicaIdentity.DEFAULT)));
            events.add(new InsertEvent(LOWER, Row.of(1), 100));
            return events;
        });
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .requireCaseSensitiveIdentifiers(require)
                .build();
        Source source = new FakeSource(new FakeReader(log, () -> Lsn.of(Long.MAX_VALUE)));
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables(List.of(MIXED, LOWER))
                .pipelineId("case_" + System.nanoTime())
                .flushInterval(Duration.ofMillis(50))
                .start()) {
            Harness.awaitCaughtUp(pipeline);
            return List.of(
                    pipeline.status().table(MIXED).orElseThrow(),
                    pipeline.status().table(LOWER).orElseThrow());
        }
    }
}

package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.FakeReader;
import io.zeroetl.fakes.FakeSource;
import io.zeroetl.fakes.Harness;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.RedshiftEmulatorExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Values Redshift cannot hold: each policy, its record in zeroetl_errors, and the other tables going on. */
class ValuePolicyIT {
    @RegisterExtension
    static RedshiftEmulatorExtension emulator = new RedshiftEmulatorExtension();

    private static final TableId FAIL = TableId.of("public", "t_fail");
    private static final TableId NULLS = TableId.of("public", "t_null");
    private static final TableId CUT = TableId.of("public", "t_cut");
    private static final String LONG = "x".repeat(70_000);

    @Test
    void eachTableFollowsItsPolicyAndEveryConversionIsRecorded() throws Exception {
        RedshiftEmulator redshift = emulator.emulator();
        FakeLog log = new FakeLog();
        // the initial copy of the three tables, as a real source's first start delivers it
        log.transaction(x -> {
            List<ChangeEvent> copy = new ArrayList<>();
            for (TableId table : List.of(FAIL, NULLS, CUT)) {
                copy.add(new RelationEvent(schema(table)));
                copy.add(new SnapshotEvent(table, SnapshotEvent.Phase.STARTED, 0, 2));
                copy.add(new InsertEvent(table, Row.of(1, Double.NaN, "ok"), 60));
                copy.add(new InsertEvent(table, Row.of(2, 1.5, LONG), 70_000));
                copy.add(new SnapshotEvent(table, SnapshotEvent.Phase.FINISHED, 2, 2));
            }
            return copy;
        });
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false)
                .valuePolicy("public.t_null", ValuePolicy.SET_NULL)
                .valuePolicy("public.t_cut", ValuePolicy.TRUNCATE)
                .build();
        FakeSource source = new FakeSource(new FakeReader(log, () -> Lsn.of(Long.MAX_VALUE)).snapshotFirst());

        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables(List.of(FAIL, NULLS, CUT))
                .pipelineId("values")
                .flushInterval(Duration.ofMillis(50))
                .start()) {
            Harness.awaitCaughtUp(pipeline);
            log.transaction(x -> List.of(new InsertEvent(NULLS, Row.of(3, 2.5, "later"), 60)));
            Harness.awaitCaughtUp(pipeline);

            assertThat(pipeline.status().table(FAIL)).hasValueSatisfying(t -> {
                assertThat(t.state()).isEqualTo(TableState.FAILED);
                assertThat(t.reason()).contains("amount").contains("NaN");
            });
            assertThat(pipeline.status().table(NULLS).orElseThrow().state()).isEqualTo(TableState.SYNCED);
        }

        log.transaction(x -> List.of(new InsertEvent(FAIL, Row.of(7, 1.0, "after restart"), 60)));
        try (Pipeline restarted = ZeroEtl.from(source)
                .to(target)
                .tables(List.of(FAIL, NULLS, CUT))
                .pipelineId("values")
                .flushInterval(Duration.ofMillis(50))
                .start()) {
            Harness.awaitCaughtUp(restarted);
            assertThat(restarted.status().table(FAIL))
                    .as("a FAILED table stays FAILED across a restart")
                    .hasValueSatisfying(t -> {
                        assertThat(t.state()).isEqualTo(TableState.FAILED);
                        assertThat(t.reason()).contains("NaN");
                    });
        }

        assertThat(query(
                        redshift,
                        "SELECT id || '|' || coalesce(amount::varchar, 'null') || '|' || coalesce(length(note),"
                                + " -1) FROM public.t_null ORDER BY id"))
                .containsExactly("1|null|2", "2|1.5|-1", "3|2.5|5");
        assertThat(query(
                        redshift,
                        "SELECT id || '|' || coalesce(amount::varchar, 'null') || '|' || length(note)"
                                + " FROM public.t_cut ORDER BY id"))
                .containsExactly("1|null|2", "2|1.5|65535");
        assertThat(query(
                        redshift,
                        "SELECT table_name || ' ' || row_key || ' ' || column_name || ': ' || reason FROM"
                                + " zeroetl.zeroetl_errors ORDER BY table_name, row_key"))
                .satisfiesExactly(
                        r -> assertThat(r)
                                .startsWith("public.t_cut id=1 amount: floating-point NaN")
                                .endsWith("stored NULL"),
                        r -> assertThat(r)
                                .startsWith("public.t_cut id=2 note: text of 70000 bytes")
                                .endsWith("stored cut to 65535 characters"),
                        r -> assertThat(r)
                                .startsWith("public.t_null id=1 amount:")
                                .endsWith("stored NULL"),
                        r -> assertThat(r)
                                .startsWith("public.t_null id=2 note:")
                                .endsWith("stored NULL"));
        assertThat(query(redshift, "SELECT count(*) FROM information_schema.tables WHERE table_name = 't_fail'"))
                .containsExactly("0");
        assertThat(redshift.rejectedStatements()).isEmpty();
    }

    private static TableSchema schema(TableId table) {
        return new TableSchema(
                table,
                List.of(
                        new Column("id", ColumnType.named("int4", ValueType.INT32), true, false),
                        new Column("amount", ColumnType.named("float8", ValueType.FLOAT64), false, true),
                        new Column("note", ColumnType.named("text", ValueType.STRING), false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
    }

    private static List<String> query(RedshiftEmulator redshift, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}

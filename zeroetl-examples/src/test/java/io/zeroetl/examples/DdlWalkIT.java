package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.TableValidation;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.examples.DdlForms.Form;
import io.zeroetl.examples.DdlForms.Outcome;
import io.zeroetl.testing.EmbeddedPostgres;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every form of {@link DdlForms} (from PostgreSQL's reference pages) on a replicated table, on PostgreSQL 16, 17
 * and 18: each ends with its table replicated exactly (SYNCED, and validated equal row by row) or FAILED with a
 * reason — none leaves a SYNCED table different from its source — and the application's writes after it never
 * fail because of zeroetl.
 */
class DdlWalkIT {
    private static final Logger LOG = LoggerFactory.getLogger(DdlWalkIT.class);

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {16, 17, 18})
    void everyFormReplicatesExactlyOrFailsItsTableWithAReason(int version) throws Exception {
        EmbeddedPostgres pg = version == EmbeddedPostgres.DEFAULT_VERSION
                ? EmbeddedPostgres.shared()
                : EmbeddedPostgres.builder().version(version).start();
        try (LiveRig rig = new LiveRig(pg, null)) {
            rig.sql(DdlForms.SHARED.toArray(String[]::new));
            Map<Form, String> tables = new LinkedHashMap<>();
            int n = 0;
            for (Form form : DdlForms.all()) {
                if (form.since() > version) {
                    continue;
                }
                String t = "w_" + ++n;
                if (form.table() == null) {
                    rig.sql(
                            "CREATE TABLE " + t + " " + DdlForms.SHAPE,
                            "INSERT INTO " + t + " VALUES " + DdlForms.ROWS);
                }
                for (String sql : form.prep()) {
                    rig.sql(sql.replace("{t}", t));
                }
                tables.put(
                        form,
                        form.table() == null ? "public." + t : form.table().replace("{t}", t));
            }
            Pipeline pipeline = rig.start(
                    b -> b.tables(tables.values().toArray(String[]::new)).pipelineId("walk"));
            List<String> wrong = new ArrayList<>();
            List<Form> walked = new ArrayList<>();
            for (Form form : tables.keySet()) {
                if (!form.global()) {
                    apply(rig, form, tables.get(form), wrong);
                    walked.add(form);
                }
            }
            check(rig, pipeline, tables, walked, wrong);
            for (Form form : tables.keySet()) {
                if (form.global()) {
                    apply(rig, form, tables.get(form), wrong);
                    check(rig, pipeline, tables, List.of(form), wrong);
                }
            }
            Map<Outcome, Integer> tally = new EnumMap<>(Outcome.class);
            tables.keySet().forEach(f -> tally.merge(f.outcome(), 1, Integer::sum));
            assertThat(wrong)
                    .as("forms that did not end as expected on PostgreSQL %d", version)
                    .isEmpty();
            pipeline.close();
            rig.source.retire("walk");
            LOG.info(
                    "DDL walk on PostgreSQL {}: {} forms {}, none left a SYNCED table different from its source",
                    version,
                    tables.size(),
                    tally);
        } finally {
            if (version != EmbeddedPostgres.DEFAULT_VERSION) {
                pg.close();
            }
        }
    }

    /** Runs the form's statements, then the application's writes, which must succeed. */
    private static void apply(LiveRig rig, Form form, String table, List<String> wrong) {
        String t = TableId.parse(table).table().equals("w")
                ? TableId.parse(table).schema().replace("_s", "")
                : TableId.parse(table).table();
        for (String sql : form.ddl()) {
            try {
                rig.sql(sql.replace("{t}", t));
                if (form.outcome() == Outcome.REFUSED_BY_SOURCE) {
                    wrong.add(name(form) + ": PostgreSQL accepted " + sql + ", expected it to refuse");
                }
            } catch (SQLException e) {
                if (form.outcome() != Outcome.REFUSED_BY_SOURCE) {
                    wrong.add(name(form) + ": PostgreSQL refused " + sql + ": " + e.getMessage());
                }
            }
        }
        List<String> after = form.after() != null
                ? form.after()
                : List.of("UPDATE {t} SET id = id + 1000 WHERE id = 1", "DELETE FROM {t} WHERE id = 3");
        for (String sql : after) {
            try {
                rig.sql(sql.replace("{t}", t));
            } catch (SQLException e) {
                wrong.add(name(form) + ": the application's write failed after it: " + sql + ": " + e.getMessage());
            }
        }
    }

    /** Waits until the pipeline settled, then checks each form's table ended as the form says. */
    private static void check(
            LiveRig rig, Pipeline pipeline, Map<Form, String> tables, List<Form> forms, List<String> wrong)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            LiveRig.caughtUp(pipeline);
            boolean settled = forms.stream()
                    .filter(f -> f.outcome() == Outcome.FAILED || f.outcome() == Outcome.DROPPED)
                    .allMatch(f -> state(pipeline, tables.get(f))
                            .state()
                            .name()
                            .equals(f.outcome().name()));
            if (settled) {
                break;
            }
            Thread.sleep(200);
        }
        LiveRig.caughtUp(pipeline);
        List<String> replicated = forms.stream()
                .filter(f -> f.outcome() != Outcome.FAILED && f.outcome() != Outcome.DROPPED)
                .map(tables::get)
                .toList();
        ValidationReport report = replicated.isEmpty()
                ? null
                : ZeroEtl.validate(rig.source, rig.targetBuilder().build())
                        .tables(replicated.toArray(String[]::new))
                        .pipelineId("walk")
                        .run();
        for (Form form : forms) {
            String table = tables.get(form);
            TableStatus status = state(pipeline, table);
            if (form.outcome() == Outcome.FAILED || form.outcome() == Outcome.DROPPED) {
                if (!status.state().name().equals(form.outcome().name())
                        || status.reason() == null
                        || status.reason().isBlank()) {
                    wrong.add(name(form) + ": expected " + form.outcome() + " with a reason, got " + status);
                }
                continue;
            }
            TableValidation v = report.table(table);
            if (status.state() != TableState.SYNCED || v.outcome() != TableValidation.Outcome.CLEAN) {
                wrong.add(name(form) + ": expected SYNCED and equal, got " + status + "; " + v);
            }
        }
    }

    private static TableStatus state(Pipeline pipeline, String table) {
        return pipeline.status().table(TableId.parse(table)).orElseThrow();
    }

    private static String name(Form form) {
        return form.page() + " " + form.form();
    }
}

package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.TableState;
import io.zeroetl.TableValidation;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a validation covers and what it says of each table: a table the pipeline failed is reported failed with
 * its reason (never compared into a MISMATCH), a table that joined while running is compared like the others,
 * and arrays of intervals, of composites and of composites holding enums compare as they landed.
 */
class ValidationScopeIT {
    @Test
    void aTableTheSourceFailedIsReportedFailedWithItsReasonNotAsAMismatch() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE orders (id int PRIMARY KEY, v text)",
                    "INSERT INTO orders VALUES (1, 'a')",
                    "CREATE PUBLICATION dba_pub FOR TABLE orders");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(rig.pg.jdbcUrl(rig.db))
                    .user(rig.pg.user())
                    .password(rig.pg.password())
                    .publication("dba_pub")
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(rig.targetBuilder().build())
                    .tables("public.orders")
                    .pipelineId("failedscope")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                LiveRig.caughtUp(pipeline);
                rig.sql("ALTER PUBLICATION dba_pub DROP TABLE orders", "UPDATE orders SET v = 'unseen'");
                LiveRig.awaitState(pipeline, "public.orders", TableState.FAILED);

                TableValidation orders = pipeline.validate().table("public.orders");

                assertThat(orders.outcome()).as(orders.toString()).isEqualTo(TableValidation.Outcome.FAILED_TABLE);
                assertThat(orders.reason()).contains("dba_pub");
            } finally {
                source.retire("failedscope");
                source.close();
            }
        }
    }

    @Test
    void aTableThatJoinedWhileRunningIsValidatedToo() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql("CREATE TABLE first (id int PRIMARY KEY, v text)", "INSERT INTO first VALUES (1, 'a')");
            Pipeline pipeline = rig.start(b -> b.include("public.*").pipelineId("joinedscope"));
            rig.sql("CREATE TABLE later (id int PRIMARY KEY, v text)", "INSERT INTO later VALUES (1, 'b'), (2, 'c')");
            LiveRig.awaitState(pipeline, "public.later", TableState.SYNCED);
            LiveRig.caughtUp(pipeline);

            ValidationReport report = pipeline.validate();

            assertThat(report.tables()).extracting(t -> t.table().toString()).contains("public.first", "public.later");
            assertThat(report.table("public.later").outcome()).isEqualTo(TableValidation.Outcome.CLEAN);
            assertThat(report.table("public.later").sourceRows()).isEqualTo(2);

            rig.onTarget("DELETE FROM public.later WHERE id = 2");
            pipeline.resync("public.later");
            LiveRig.awaitState(pipeline, "public.later", TableState.SYNCED);
            LiveRig.caughtUp(pipeline);
            assertThat(pipeline.validate().table("public.later").outcome())
                    .as("a table that joined can be resynced too")
                    .isEqualTo(TableValidation.Outcome.CLEAN);
        }
    }

    @Test
    void arraysOfIntervalsOfCompositesAndOfCompositesHoldingEnumsValidateCleanAndLandAsDocumented() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TYPE mood AS ENUM ('happy', 'sad')",
                    "CREATE TYPE pair AS (n int, s text)",
                    "CREATE TYPE felt AS (m mood, why text)",
                    "CREATE TABLE arrs (id int PRIMARY KEY, spans interval[], pairs pair[], feelings felt[])",
                    "INSERT INTO arrs VALUES (1, '{\"1 day\",\"2 days 03:00:00\"}',"
                            + " ARRAY[ROW(1, 'a b')::pair, ROW(2, NULL)::pair], ARRAY[ROW('sad', 'rain')::felt])");
            Pipeline pipeline = rig.start(b -> b.tables("public.arrs").pipelineId("arrscope"));
            rig.sql("INSERT INTO arrs SELECT 2, spans, pairs, feelings FROM arrs WHERE id = 1");
            LiveRig.caughtUp(pipeline);

            TableValidation arrs = pipeline.validate().table("public.arrs");

            assertThat(arrs.outcome()).as(arrs.toString()).isEqualTo(TableValidation.Outcome.CLEAN);
            assertThat(rig.target("SELECT JSON_SERIALIZE(spans) FROM public.arrs ORDER BY id"))
                    .as("interval elements in ISO 8601, as a scalar interval lands and as the type mapping says")
                    .containsOnly("[\"P1D\",\"P2DT3H\"]");
            assertThat(rig.target("SELECT JSON_SERIALIZE(pairs) || ' ' || JSON_SERIALIZE(feelings) FROM public.arrs"))
                    .as("composite elements as PostgreSQL writes them")
                    .containsOnly("[\"(1,\\\"a b\\\")\",\"(2,)\"] [\"(sad,rain)\"]");
        }
    }
}

package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL changes stored values without a row change in the WAL: each such change ends with the target
 * equal to the source (the table copied again) or the table FAILED with the reason, never SYNCED and different.
 */
class DivergenceIT {
    @Test
    void aTypeChangeWhoseUsingExpressionChangesTheValuesIsCopiedAgain() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TABLE amounts (id int PRIMARY KEY, amount int, code text)",
                    "INSERT INTO amounts VALUES (1, 5, 'ab'), (2, 7, 'cd')");
            Pipeline pipeline = rig.start(b -> b.tables("public.amounts"));
            rig.sql(
                    "ALTER TABLE amounts ALTER COLUMN amount TYPE bigint USING amount * 100",
                    "ALTER TABLE amounts ALTER COLUMN code TYPE varchar(10) USING upper(code)");
            LiveRig.assertSame(pipeline, "public.amounts");
            assertThat(rig.target("SELECT amount || code FROM public.amounts ORDER BY id"))
                    .containsExactly("500AB", "700CD");
        }
    }

    @Test
    void anEnumLabelRenamedIsCopiedAgain() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(
                    "CREATE TYPE mood AS ENUM ('sad', 'ok')",
                    "CREATE TABLE moods (id int PRIMARY KEY, m mood, ms mood[])",
                    "INSERT INTO moods VALUES (1, 'sad', '{sad,ok}'), (2, 'ok', '{}')");
            Pipeline pipeline = rig.start(b -> b.tables("public.moods"));
            rig.sql("ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'");
            LiveRig.assertSame(pipeline, "public.moods");
            assertThat(rig.target("SELECT m FROM public.moods ORDER BY id")).containsExactly("blue", "ok");
        }
    }
}

package io.zeroetl.postgres.internal.ddl;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.postgres.internal.ddl.CapturedDdl.CapturedColumn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which captured commands the target follows in place and which copy the table again (default-deny). */
class DdlEffectsTest {
    private static final CapturedColumn ID = new CapturedColumn(1, "id", 23, -1, true);
    private static final CapturedColumn AMOUNT_INT = new CapturedColumn(2, "amount", 23, -1, true);
    private static final CapturedColumn AMOUNT_BIGINT = new CapturedColumn(2, "amount", 20, -1, true);

    private static String alter(String statement, List<CapturedColumn> before, List<CapturedColumn> after, int rw) {
        return DdlEffects.recopy(new CapturedDdl("ALTER TABLE", statement, before, after, rw, null));
    }

    private static String same(String statement) {
        return alter(statement, List.of(ID, AMOUNT_INT), List.of(ID, AMOUNT_INT), 0);
    }

    @Test
    void aWideningWithoutUsingIsFollowedInPlace() {
        assertThat(alter(
                        "ALTER TABLE t ALTER COLUMN amount TYPE bigint",
                        List.of(ID, AMOUNT_INT),
                        List.of(ID, AMOUNT_BIGINT),
                        4))
                .isNull();
        assertThat(alter(
                        "alter table \"T\" alter amount set data type bigint; ",
                        List.of(ID, AMOUNT_INT),
                        List.of(ID, AMOUNT_BIGINT),
                        4))
                .isNull();
    }

    @Test
    void aTypeChangeWithUsingCopiesAgainWhateverTheTypes() {
        assertThat(alter(
                        "ALTER TABLE t ALTER COLUMN amount TYPE bigint USING amount * 100",
                        List.of(ID, AMOUNT_INT),
                        List.of(ID, AMOUNT_BIGINT),
                        4))
                .contains("amount")
                .contains("USING");
    }

    @Test
    void usingToTheSameTypeCopiesAgainEvenWithNoRewriteReported() {
        // a partitioned table: its partitions are rewritten, the table itself reports no rewrite
        assertThat(alter(
                        "ALTER TABLE t ALTER COLUMN amount TYPE int USING amount + 1",
                        List.of(ID, AMOUNT_INT),
                        List.of(ID, AMOUNT_INT),
                        0))
                .contains("USING");
    }

    @Test
    void usingInsideAConstantOrAQuotedNameIsNotAUsingClause() {
        assertThat(alter(
                        "ALTER TABLE t ALTER COLUMN amount TYPE bigint, ALTER COLUMN \"using\" SET DEFAULT 'USING'",
                        List.of(ID, AMOUNT_INT),
                        List.of(ID, AMOUNT_BIGINT),
                        4))
                .isNull();
    }

    @Test
    void aConversionThatMayChangeTextCopiesAgain() {
        CapturedColumn real = new CapturedColumn(2, "amount", 700, -1, true);
        CapturedColumn dbl = new CapturedColumn(2, "amount", 701, -1, true);
        assertThat(alter("ALTER TABLE t ALTER amount TYPE float8", List.of(ID, real), List.of(ID, dbl), 4))
                .contains("may change its values' text");
        CapturedColumn cidr = new CapturedColumn(2, "net", 650, -1, true);
        CapturedColumn inet = new CapturedColumn(2, "net", 869, -1, true);
        assertThat(alter("ALTER TABLE t ALTER net TYPE inet", List.of(ID, cidr), List.of(ID, inet), 0))
                .as("binary-coercible, yet cidr 10.1.2.3/32 reads 10.1.2.3 as inet")
                .isNotNull();
        CapturedColumn numeric52 = new CapturedColumn(2, "n", 1700, (5 << 16 | 2) + 4, true);
        CapturedColumn numeric51 = new CapturedColumn(2, "n", 1700, (5 << 16 | 1) + 4, true);
        CapturedColumn numeric82 = new CapturedColumn(2, "n", 1700, (8 << 16 | 2) + 4, true);
        assertThat(alter("ALTER TABLE t ALTER n TYPE numeric(5,1)", List.of(ID, numeric52), List.of(ID, numeric51), 4))
                .as("rounds")
                .isNotNull();
        assertThat(alter("ALTER TABLE t ALTER n TYPE numeric(8,2)", List.of(ID, numeric52), List.of(ID, numeric82), 0))
                .isNull();
    }

    @Test
    void ddlInsideAFunctionOrADoBlockCannotBeReadSoTheTableIsCopiedAgain() {
        assertThat(same("SELECT migrate()")).contains("cannot read");
        assertThat(same("DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN q int'; END $$"))
                .contains("cannot read");
        assertThat(same("ALTER TABLE t ADD COLUMN q int; SELECT f()")).contains("cannot read");
    }

    @Test
    void formsThatLeaveValuesAloneAreFollowed() {
        for (String action : List.of(
                "ADD COLUMN q int",
                "ADD q int",
                "ADD IF NOT EXISTS q int",
                "DROP COLUMN amount",
                "ALTER amount SET DEFAULT 5",
                "ALTER COLUMN amount DROP NOT NULL",
                "ALTER COLUMN amount SET STATISTICS 100",
                "ALTER COLUMN amount SET (n_distinct = 5)",
                "ADD CONSTRAINT c CHECK (amount > 0) NOT VALID",
                "ADD PRIMARY KEY (id)",
                "VALIDATE CONSTRAINT c",
                "ENABLE ALWAYS TRIGGER x",
                "NO FORCE ROW LEVEL SECURITY",
                "SET (fillfactor = 70)",
                "SET ACCESS METHOD heap",
                "CLUSTER ON t_pkey",
                "OWNER TO CURRENT_USER",
                "REPLICA IDENTITY FULL",
                "RENAME COLUMN amount TO total",
                "RENAME TO u",
                "SET SCHEMA other")) {
            assertThat(same("ALTER TABLE IF EXISTS ONLY public.t " + action))
                    .as(action)
                    .isNull();
        }
    }

    @Test
    void formsThatChangeValuesWithoutRowChangesCopyAgain() {
        for (String action : List.of(
                "ALTER COLUMN g SET EXPRESSION AS (a * 3)",
                "SET LOGGED",
                "ATTACH PARTITION p FOR VALUES FROM (1) TO (2)",
                "DETACH PARTITION p CONCURRENTLY")) {
            assertThat(same("ALTER TABLE t " + action)).as(action).isNotNull();
        }
    }

    @Test
    void anUnknownActionCopiesAgain() {
        assertThat(same("ALTER TABLE t SPLIT PARTITION p INTO (q, r)")).contains("does not classify");
    }

    @Test
    void aRewriteNoTypeChangeExplainsCopiesAgain() {
        assertThat(alter("ALTER TABLE t ALTER COLUMN g SET STORAGE PLAIN", List.of(ID), List.of(ID), 4))
                .contains("rewritten");
        assertThat(alter("ALTER TABLE t SET ACCESS METHOD heap2", List.of(ID), List.of(ID), 8))
                .isNull();
    }

    @Test
    void aColumnThatStartsBeingPublishedBringsValuesTheStreamNeverCarried() {
        CapturedColumn generated = new CapturedColumn(2, "g", 23, -1, false);
        CapturedColumn plain = new CapturedColumn(2, "g", 23, -1, true);
        assertThat(alter("ALTER TABLE t ALTER COLUMN g DROP EXPRESSION", List.of(ID, generated), List.of(ID, plain), 0))
                .contains("not published before");
    }

    @Test
    void whatTheTriggerFoundComesFirst() {
        assertThat(DdlEffects.recopy(new CapturedDdl(
                        "ALTER TABLE", "ALTER TABLE t ADD x int DEFAULT 1", null, List.of(ID), 0, "a default")))
                .isEqualTo("a default");
    }

    @Test
    void typeChangesByStatement() {
        assertThat(type("ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'")).contains("RENAME VALUE");
        assertThat(type("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok'"))
                .isNull();
        assertThat(type("ALTER TYPE public.pair ADD ATTRIBUTE z int CASCADE")).contains("ADD ATTRIBUTE");
        assertThat(type("ALTER TYPE pair RENAME ATTRIBUTE x TO y")).isNull();
        assertThat(type("ALTER TYPE pair OWNER TO someone")).isNull();
        assertThat(type("SELECT rename_labels()")).contains("cannot read");
    }

    @Test
    void anUnknownCommandCopiesAgain() {
        assertThat(DdlEffects.recopy(new CapturedDdl("ALTER SOMETHING", "ALTER SOMETHING", null, List.of(ID), 0, null)))
                .contains("does not classify");
        assertThat(DdlEffects.recopy(
                        new CapturedDdl("COMMENT", "COMMENT ON TABLE t IS 'x'", null, List.of(ID), 0, null)))
                .isNull();
    }

    @Test
    void aForeignKeyAddedByCreateTableChangesNothing() {
        assertThat(alter("CREATE TABLE r (id int PRIMARY KEY, o int REFERENCES o)", List.of(ID), List.of(ID), 0))
                .isNull();
    }

    @Test
    void extensionUpdatesCopyAgainOtherExtensionChangesDoNot() {
        assertThat(DdlEffects.recopy(new CapturedDdl(
                        "ALTER EXTENSION", "ALTER EXTENSION hstore UPDATE", null, List.of(ID), 0, null)))
                .contains("updated");
        assertThat(DdlEffects.recopy(new CapturedDdl(
                        "ALTER EXTENSION", "ALTER EXTENSION hstore SET SCHEMA x", null, List.of(ID), 0, null)))
                .isNull();
    }

    private static String type(String statement) {
        return DdlEffects.recopy(new CapturedDdl("ALTER TYPE", statement, List.of(ID), List.of(ID), 0, null));
    }
}

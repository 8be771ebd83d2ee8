package io.zeroetl.testing.internal.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SqlTranslatorTest {
    private static final SqlTranslator.Context PLAIN = new SqlTranslator.Context(false, false, t -> List.of());

    @Test
    void lexerGivesTheTextBackExactly() {
        String sql =
                "SELECT E'it\\'s', $tag$ a ; b $tag$, \"Q\"\"x\" -- c ; d\n/* e /* nested */ ; */ FROM t WHERE a # b";

        assertThat(SqlLexer.lex(sql).stream().map(t -> t.text).collect(Collectors.joining()))
                .isEqualTo(sql);
    }

    @Test
    void keywordsInsideLiteralsAndCommentsAreNotCode() {
        Translation t = SqlTranslator.translate("SELECT 'x ON CONFLICT y RETURNING', 1 -- IS DISTINCT FROM\n", PLAIN);

        assertThat(t.isRejected()).isFalse();
    }

    @Test
    void splittingIgnoresSemicolonsInLiteralsAndComments() {
        assertThat(SqlTranslator.split("SELECT ';'; SELECT $$;$$ /* ; */; SELECT 3"))
                .containsExactly("SELECT ';'", " SELECT $$;$$ /* ; */", " SELECT 3");
    }

    @Test
    void foldingTouchesQuotedIdentifiersButNotStrings() {
        assertThat(SqlTranslator.translate("SELECT \"Abc\", 'Abc' FROM \"T\"", PLAIN)
                        .sql())
                .isEqualTo("SELECT \"abc\", 'Abc' FROM \"t\"");
        assertThat(SqlTranslator.translate(
                                "SELECT \"Abc\" FROM \"T\"", new SqlTranslator.Context(true, false, t -> List.of()))
                        .sql())
                .isEqualTo("SELECT \"Abc\" FROM \"T\"");
    }

    @Test
    void hashIsATempTableNameOnlyWhereANameCanStand() {
        assertThat(SqlTranslator.translate("SELECT a # b FROM #stage", PLAIN).sql())
                .isEqualTo("SELECT a # b FROM \"#stage\"");
    }

    @Test
    void createTableKeepsNotNullAndDefaultAndTheKeysAsMarkersWhileDroppingRedshiftOnlyParts() {
        String sql = SqlTranslator.translate(
                        "CREATE TABLE t (id BIGINT NOT NULL ENCODE az64 PRIMARY KEY,"
                                + " n VARCHAR(10) DEFAULT 'x' SORTKEY) DISTSTYLE KEY DISTKEY(id)",
                        PLAIN)
                .sql();

        assertThat(sql)
                .matches("CREATE TABLE t \\(id bigint NOT NULL, n varchar DEFAULT 'x' CONSTRAINT"
                        + " zeroetl_len_[0-9a-f]{20} CHECK \\(n IS NULL OR octet_length\\(n\\) <= 10 OR"
                        + " zeroetl_emulator.too_long\\('character varying', 10\\)\\),"
                        + " CONSTRAINT zeroetl_pkey CHECK \\(ROW\\(\"id\"\\) IS NULL OR true\\),"
                        + " CONSTRAINT zeroetl_distkey CHECK \\(ROW\\(\"id\"\\) IS NULL OR true\\),"
                        + " CONSTRAINT zeroetl_sortkey CHECK \\(ROW\\(\"n\"\\) IS NULL OR true\\)\\)");
    }

    @Test
    void checkConstraintsAreRejectedAsRedshiftHasNone() {
        assertThat(SqlTranslator.translate("CREATE TABLE t (id INT, CHECK (id > 0))", PLAIN)
                        .sqlState())
                .isEqualTo("42601");
    }

    @Test
    void rejectedStatementsKeepTheirParametersForTheClientsBind() {
        Translation t = SqlTranslator.translate("INSERT INTO t VALUES ($1, $2) ON CONFLICT DO NOTHING", PLAIN);

        assertThat(RejectSql.of(t, "INSERT INTO t VALUES ($1, $2) ON CONFLICT DO NOTHING"))
                .startsWith("SELECT zeroetl_emulator.reject('42601', 'syntax error at or near \"ON\"")
                .endsWith("FROM (SELECT $1::text, $2::text) AS zeroetl_params");
    }
}

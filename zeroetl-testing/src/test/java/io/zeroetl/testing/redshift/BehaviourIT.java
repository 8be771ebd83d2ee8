package io.zeroetl.testing.redshift;

import static io.zeroetl.testing.redshift.EmulatorFixture.column;
import static io.zeroetl.testing.redshift.EmulatorFixture.postgres;
import static io.zeroetl.testing.redshift.EmulatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.RedshiftEmulatorExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requirement 3: where Redshift behaves differently from PostgreSQL, the emulator behaves like Redshift. */
class BehaviourIT {
    @RegisterExtension
    static RedshiftEmulatorExtension emulator = new RedshiftEmulatorExtension();

    static RedshiftEmulator redshift;

    @BeforeAll
    static void start() {
        redshift = emulator.emulator();
    }

    @Test
    void identifiersAreFoldedToLowerCaseEvenWhenQuoted() throws SQLException {
        run(
                redshift,
                "CREATE TABLE \"MixedCase\" (\"OrderId\" INT)",
                "INSERT INTO \"MIXEDCASE\" (\"ORDERID\") VALUES (1)");

        assertThat(column(redshift, "SELECT orderid FROM mixedcase")).containsExactly("1");
        assertThat(postgres(redshift, "SELECT relname FROM pg_class WHERE relname ILIKE 'mixedcase'"))
                .containsExactly("mixedcase");
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE bh_dup (\"Id\" INT, \"ID\" INT)"))
                .hasMessageContaining("specified more than once");
    }

    @Test
    void enableCaseSensitiveIdentifierKeepsQuotedCase() throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            s.execute("SET enable_case_sensitive_identifier TO true");
            assertThat(column(c, "SHOW enable_case_sensitive_identifier")).containsExactly("true");
            s.execute("CREATE TABLE \"CaseKept\" (\"Id\" INT, \"ID\" INT)");
            s.execute("RESET enable_case_sensitive_identifier");
            assertThat(column(c, "SHOW enable_case_sensitive_identifier")).containsExactly("false");
        }
        assertThat(postgres(
                        redshift,
                        "SELECT attname FROM pg_attribute WHERE attrelid = '\"CaseKept\"'::regclass"
                                + " AND attnum > 0 ORDER BY attnum"))
                .containsExactly("Id", "ID");
    }

    @Test
    void identifiersUpTo127BytesAreRedshiftsLimitAndTheBackingLimitIsAnErrorNotATruncation() throws SQLException {
        String fits = "t".repeat(63);
        run(redshift, "CREATE TABLE " + fits + " (id INT)");

        assertThatThrownBy(() -> run(redshift, "CREATE TABLE " + "t".repeat(64) + " (id INT)"))
                .hasMessageContaining("valid in Redshift (up to 127)")
                .hasMessageContaining("at most 63 bytes");
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE \"" + "é".repeat(64) + "\" (id INT)"))
                .hasMessageContaining("128 bytes; Redshift's limit is 127 bytes");
        assertThat(postgres(redshift, "SELECT count(*) FROM pg_class WHERE relname LIKE 'tttt%'"))
                .containsExactly("1");
    }

    @Test
    void truncateCommitsTheOpenTransaction() throws SQLException {
        run(
                redshift,
                "CREATE TABLE bh_kept (id INT)",
                "CREATE TABLE bh_truncated (id INT)",
                "INSERT INTO bh_truncated VALUES (1)");
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO bh_kept VALUES (42)");
            s.execute("TRUNCATE bh_truncated");
            c.rollback();
        }

        assertThat(column(redshift, "SELECT id FROM bh_kept")).containsExactly("42");
        assertThat(column(redshift, "SELECT count(*) FROM bh_truncated")).containsExactly("0");
    }

    @Test
    void serializationFailuresComeBackAsRedshiftError1023() throws SQLException {
        // the example of c_serial_isolation-serializable-isolation-troubleshooting: each reads what the other writes
        run(redshift, "CREATE TABLE bh_ssi1 (k VARCHAR(1))", "CREATE TABLE bh_ssi2 (k VARCHAR(1))");
        try (Connection a = redshift.connect();
                Connection b = redshift.connect();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            column(a, "SELECT count(*) FROM bh_ssi1");
            column(b, "SELECT count(*) FROM bh_ssi2");
            sa.execute("INSERT INTO bh_ssi2 VALUES ('a')");
            sb.execute("INSERT INTO bh_ssi1 VALUES ('b')");
            a.commit();

            SQLException e = catchThrowableOfType(SQLException.class, b::commit);

            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("XX000");
            assertThat(e.getMessage()).contains("1023").contains("Serializable isolation violation");
        }
    }

    @Test
    void strtolReadsNumbersInAnyBaseAsTheAwsExamplesShow() throws SQLException {
        String[][] cases = {
            {"'0xf', 16", "15"},
            {"'abcd1234', 16", "2882343476"},
            {"'1234567', 8", "342391"},
            {"'110101', 2", "53"},
            {"'  -ff', 16", "-255"},
            {"'7fffffffffffffff', 16", "9223372036854775807"},
            {"'12z', 36", "1403"},
            {"'19x', 10", "19"}
        };
        for (String[] c : cases) {
            assertThat(column(redshift, "SELECT STRTOL(" + c[0] + ")")).as(c[0]).containsExactly(c[1]);
        }
    }

    @Test
    void backslashInAStringLiteralIsAnEscapeAsInRedshift() throws SQLException {
        assertThat(column(redshift, "SELECT 'a\\\\b' || 'it\\'s'")).containsExactly("a\\bit's");
        assertThat(column(redshift, "SELECT to_hex(from_hex('00ff'))")).containsExactly("00ff");
    }

    @Test
    void statementsOver16MbAreRejected() throws SQLException {
        String big = "SELECT '" + "x".repeat(16 * 1024 * 1024) + "'";

        assertThatThrownBy(() -> run(redshift, big)).hasMessageContaining("16 MB");
        assertThat(column(redshift, "SELECT length('" + "x".repeat(1024 * 1024) + "')"))
                .containsExactly("1048576");
    }
}

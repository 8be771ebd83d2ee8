package io.zeroetl.testing.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.testing.RecordedStatement;
import io.zeroetl.testing.RedshiftEmulator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requirement 4: what Redshift rejects, the emulator rejects, with a Redshift-like error, through the
 * real driver. Each statement here would run on PostgreSQL.
 */
class RejectionIT {
    static RedshiftEmulator redshift;

    @BeforeAll
    static void start() throws SQLException {
        redshift = RedshiftEmulator.start();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE rj (id INT, note VARCHAR(20))");
            s.execute("CREATE TABLE rj_src (id INT, note VARCHAR(20))");
            s.execute("CREATE TABLE rj_other (id INT)");
        }
    }

    @AfterAll
    static void stop() {
        redshift.close();
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of(
                        "INSERT ... ON CONFLICT",
                        "INSERT INTO rj VALUES (1, 'a') ON CONFLICT DO NOTHING",
                        "ON CONFLICT"),
                Arguments.of("RETURNING", "INSERT INTO rj VALUES (1, 'a') RETURNING id", "RETURNING"),
                Arguments.of("CREATE INDEX", "CREATE INDEX rj_idx ON rj (id)", "CREATE INDEX is not supported"),
                Arguments.of(
                        "CREATE UNIQUE INDEX",
                        "CREATE UNIQUE INDEX rj_uidx ON rj (id)",
                        "CREATE INDEX is not supported"),
                Arguments.of("CREATE SEQUENCE", "CREATE SEQUENCE rj_seq", "CREATE SEQUENCE is not supported"),
                Arguments.of(
                        "CREATE TRIGGER",
                        "CREATE TRIGGER rj_trg BEFORE INSERT ON rj FOR EACH ROW EXECUTE" + " FUNCTION f()",
                        "CREATE TRIGGER is not supported"),
                Arguments.of(
                        "CREATE TYPE (enum)", "CREATE TYPE mood AS ENUM ('ok', 'sad')", "CREATE TYPE is not supported"),
                Arguments.of(
                        "CREATE DOMAIN",
                        "CREATE DOMAIN posint AS INT CHECK (VALUE > 0)",
                        "CREATE DOMAIN is not supported"),
                Arguments.of("CREATE EXTENSION", "CREATE EXTENSION hstore", "CREATE EXTENSION is not supported"),
                Arguments.of("SAVEPOINT", "SAVEPOINT s1", "savepoints"),
                Arguments.of("ROLLBACK TO", "ROLLBACK TO SAVEPOINT s1", "savepoints"),
                Arguments.of("RELEASE SAVEPOINT", "RELEASE SAVEPOINT s1", "savepoints"),
                Arguments.of("COPY FROM STDIN", "COPY rj FROM STDIN", "COPY from STDIN"),
                Arguments.of("COPY TO STDOUT", "COPY rj TO STDOUT", "COPY from STDIN or to STDOUT"),
                Arguments.of("json", "CREATE TABLE rj_t1 (v JSON)", "json is not supported"),
                Arguments.of("jsonb", "CREATE TABLE rj_t2 (v JSONB)", "jsonb is not supported"),
                Arguments.of("uuid", "CREATE TABLE rj_t3 (v UUID)", "uuid is not supported"),
                Arguments.of("bytea", "CREATE TABLE rj_t4 (v BYTEA)", "bytea is not supported"),
                Arguments.of("array", "CREATE TABLE rj_t5 (v INT[])", "no array types"),
                Arguments.of("array keyword", "CREATE TABLE rj_t6 (v TEXT ARRAY)", "no array types"),
                Arguments.of("serial", "CREATE TABLE rj_t7 (v SERIAL)", "serial is not supported"),
                Arguments.of("bigserial", "CREATE TABLE rj_t8 (v BIGSERIAL)", "bigserial is not supported"),
                Arguments.of("money", "CREATE TABLE rj_t9 (v MONEY)", "money is not supported"),
                Arguments.of("inet", "CREATE TABLE rj_t10 (v INET)", "inet is not supported"),
                Arguments.of("cidr", "CREATE TABLE rj_t11 (v CIDR)", "cidr is not supported"),
                Arguments.of("macaddr", "CREATE TABLE rj_t12 (v MACADDR)", "macaddr is not supported"),
                Arguments.of("enum type", "CREATE TABLE rj_t13 (v mood)", "type \"mood\" does not exist"),
                Arguments.of("bit", "CREATE TABLE rj_t14 (v BIT(3))", "bit is not supported"),
                Arguments.of("bit varying", "CREATE TABLE rj_t15 (v BIT VARYING(3))", "bit varying is not supported"),
                Arguments.of("interval without qualifier", "CREATE TABLE rj_t16 (v INTERVAL)", "needs a qualifier"),
                Arguments.of("cast to json", "SELECT '{}'::json", "json is not supported"),
                Arguments.of(
                        "DECIMAL precision > 38",
                        "CREATE TABLE rj_t17 (v DECIMAL(39, 2))",
                        "precision 39 must be between 1 and 38"),
                Arguments.of("VARCHAR > 65535", "CREATE TABLE rj_t18 (v VARCHAR(65536))", "cannot exceed 65535"),
                Arguments.of(
                        "two ADD COLUMN",
                        "ALTER TABLE rj ADD COLUMN a INT, ADD COLUMN b INT",
                        "one column per statement"),
                Arguments.of(
                        "ADD COLUMN NOT NULL without DEFAULT",
                        "ALTER TABLE rj ADD COLUMN c INT NOT NULL",
                        "NOT NULL must have a non-null default"),
                Arguments.of(
                        "ALTER COLUMN TYPE other than VARCHAR",
                        "ALTER TABLE rj ALTER COLUMN id TYPE BIGINT",
                        "only changes the length of a VARCHAR"),
                Arguments.of("SET NOT NULL", "ALTER TABLE rj ALTER COLUMN id SET NOT NULL", "SET NOT NULL"),
                Arguments.of("DROP NOT NULL", "ALTER TABLE rj ALTER COLUMN id DROP NOT NULL", "DROP NOT NULL"),
                Arguments.of("SET DEFAULT", "ALTER TABLE rj ALTER COLUMN id SET DEFAULT 1", "SET DEFAULT"),
                Arguments.of("DROP DEFAULT", "ALTER TABLE rj ALTER COLUMN id DROP DEFAULT", "DROP DEFAULT"),
                Arguments.of(
                        "IS DISTINCT FROM", "SELECT id FROM rj WHERE id IS DISTINCT FROM 2", "IS [NOT] DISTINCT FROM"),
                Arguments.of(
                        "IS NOT DISTINCT FROM",
                        "SELECT id FROM rj WHERE id IS NOT DISTINCT FROM 2",
                        "IS [NOT] DISTINCT FROM"),
                Arguments.of(
                        "generate_series",
                        "SELECT * FROM generate_series(1, 3)",
                        "function generate_series does not exist"),
                Arguments.of(
                        "string_agg", "SELECT string_agg(note, ',') FROM rj", "function string_agg does not exist"),
                Arguments.of("array_agg", "SELECT array_agg(id) FROM rj", "function array_agg does not exist"),
                Arguments.of("VALUES as a table", "SELECT * FROM (VALUES (1), (2)) AS v(x)", "VALUES as a table"),
                Arguments.of(
                        "MERGE with AND on WHEN",
                        "MERGE INTO rj USING rj_src s ON rj.id = s.id WHEN MATCHED AND"
                                + " s.id > 1 THEN UPDATE SET note = s.note WHEN NOT MATCHED THEN INSERT (id, note) VALUES"
                                + " (s.id, s.note)",
                        "no AND condition"),
                Arguments.of(
                        "MERGE with two MATCHED",
                        "MERGE INTO rj USING rj_src s ON rj.id = s.id WHEN MATCHED"
                                + " THEN UPDATE SET note = s.note WHEN MATCHED THEN DELETE",
                        "one WHEN MATCHED"),
                Arguments.of(
                        "MERGE with WITH prefix",
                        "WITH s AS (SELECT * FROM rj_src) MERGE INTO rj USING s ON"
                                + " rj.id = s.id WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)",
                        "WITH prefix"),
                Arguments.of(
                        "MERGE with target alias",
                        "MERGE INTO rj AS t USING rj_src s ON t.id = s.id WHEN" + " MATCHED THEN DELETE",
                        "alias for the target"),
                Arguments.of(
                        "UPDATE FROM with outer join",
                        "UPDATE rj SET note = s.note FROM rj_src s LEFT JOIN"
                                + " rj_other o ON s.id = o.id WHERE rj.id = s.id",
                        "equijoin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void redshiftRejectsIt(String rule, String sql, String message) throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql))
                    .as(rule)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(message);
        }
        RecordedStatement last = lastRecorded(sql);
        assertThat(last.rejected()).isTrue();
        assertThat(last.sentToPostgres()).isNull();
    }

    @Test
    void alterColumnTypeInsideATransactionBlockIsRejected() throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> s.execute("ALTER TABLE rj ALTER COLUMN note TYPE VARCHAR(40)"))
                    .hasMessageContaining("cannot run inside a transaction block");
            c.rollback();
        }
    }

    @Test
    void rejectedPreparedStatementWithParametersFailsWithTheRejection() throws SQLException {
        try (Connection c = redshift.connect();
                var ps = c.prepareStatement("INSERT INTO rj VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setInt(1, 1);
            ps.setString(2, "x");
            assertThatThrownBy(ps::executeUpdate).hasMessageContaining("ON CONFLICT");
        }
    }

    private static RecordedStatement lastRecorded(String sql) {
        var all = redshift.statements();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).sql().strip().equals(sql)) {
                return all.get(i);
            }
        }
        throw new AssertionError("not recorded: " + sql);
    }
}

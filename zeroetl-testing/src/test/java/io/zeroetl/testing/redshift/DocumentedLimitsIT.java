package io.zeroetl.testing.redshift;

import static io.zeroetl.testing.redshift.EmulatorFixture.column;
import static io.zeroetl.testing.redshift.EmulatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.RedshiftEmulatorExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the AWS Redshift Database Developer Guide says a cluster refuses, where PostgreSQL would accept it:
 * the emulator refuses it too. Each test names its page ({@code docs.aws.amazon.com/redshift/latest/dg/<page>.html}).
 */
class DocumentedLimitsIT {
    @RegisterExtension
    static RedshiftEmulatorExtension emulator = new RedshiftEmulatorExtension();

    static RedshiftEmulator redshift;

    @BeforeAll
    static void start() {
        redshift = emulator.emulator();
    }

    /** r_ALTER_TABLE: "You can't drop a column that is the distribution key (DISTKEY) or a sort key (SORTKEY)". */
    @Test
    void dropColumnRefusesTheDistributionKeyAndSortKeyColumns() throws SQLException {
        run(
                redshift,
                "CREATE TABLE dl_keys (id INT NOT NULL, part INT, note VARCHAR(10), PRIMARY KEY (id))"
                        + " DISTSTYLE KEY DISTKEY(id) COMPOUND SORTKEY(id, part)");

        assertThatThrownBy(() -> run(redshift, "ALTER TABLE dl_keys DROP COLUMN id"))
                .hasMessageContaining("cannot drop sortkey or distkey column");
        assertThatThrownBy(() -> run(redshift, "ALTER TABLE dl_keys DROP COLUMN part"))
                .hasMessageContaining("cannot drop sortkey or distkey column");
        run(redshift, "ALTER TABLE dl_keys DROP COLUMN note");
        assertThat(column(redshift, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'dl_keys'"))
                .containsExactly("2");
    }

    /**
     * r_ALTER_TABLE: ADD COLUMN cannot add a key, distkey, sortkey or identity column — as clauses; a column merely
     * named like one ({@code "identity_2"}, {@code "sortkey"}) is an ordinary column (found by the schema generator).
     */
    @Test
    void addColumnRefusesKeyAndIdentityClausesNotColumnsNamedLikeThem() throws SQLException {
        run(redshift, "CREATE TABLE dl_add (id INT NOT NULL) DISTSTYLE EVEN");

        assertThatThrownBy(() -> run(redshift, "ALTER TABLE dl_add ADD COLUMN seq INT IDENTITY(1, 1)"))
                .hasMessageContaining("cannot add a key, distkey, sortkey or identity column");
        assertThatThrownBy(() -> run(redshift, "ALTER TABLE dl_add ADD COLUMN k INT SORTKEY"))
                .hasMessageContaining("cannot add a key, distkey, sortkey or identity column");
        run(redshift, "ALTER TABLE dl_add ADD COLUMN \"identity_2\" INTEGER");
        run(redshift, "ALTER TABLE dl_add ADD COLUMN \"sortkey\" INTEGER");
        assertThat(column(redshift, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'dl_add'"))
                .containsExactly("3");
    }

    /** r_ALTER_TABLE: DROP COLUMN is RESTRICT when the column is part of a primary key; CASCADE drops it. */
    @Test
    void dropColumnOfAPrimaryKeyNeedsCascade() throws SQLException {
        run(redshift, "CREATE TABLE dl_pk (id INT NOT NULL, other INT, PRIMARY KEY (id)) DISTSTYLE EVEN");

        assertThatThrownBy(() -> run(redshift, "ALTER TABLE dl_pk DROP COLUMN id"))
                .hasMessageContaining("because other objects depend on it");
        run(redshift, "ALTER TABLE dl_pk DROP COLUMN id CASCADE");
    }

    /** The keys follow renames, and a table created in the open transaction is checked too. */
    @Test
    void keysAreKeptThroughRenamesAndInsideTheCreatingTransaction() throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TABLE dl_tx (k INT NOT NULL, v INT) DISTKEY(k) SORTKEY(k)");
            s.execute("ALTER TABLE dl_tx RENAME COLUMN k TO key2");
            assertThatThrownBy(() -> s.execute("ALTER TABLE dl_tx DROP COLUMN key2"))
                    .hasMessageContaining("cannot drop sortkey or distkey column");
            c.rollback();
        }
    }

    /** r_SUM: SUM of SMALLINT, INTEGER or BIGINT returns BIGINT, and overflows past it. */
    @Test
    void sumOfIntegersIsBigintAndOverflows() throws SQLException {
        run(
                redshift,
                "CREATE TABLE dl_sum (n BIGINT, i INT)",
                "INSERT INTO dl_sum VALUES (9223372036854775000, 2000000000), (1000, 2000000000)");

        assertThat(column(redshift, "SELECT SUM(i) FROM dl_sum")).containsExactly("4000000000");
        assertThatThrownBy(() -> column(redshift, "SELECT SUM(n) FROM dl_sum")).hasMessageContaining("out of range");
        assertThat(column(redshift, "SELECT SUM(CAST(n AS DECIMAL(38,0))) FROM dl_sum"))
                .containsExactly("9223372036854776000");
    }

    /** r_Numeric_types201: precision 1-38, scale 0-37 and not above the precision. */
    @Test
    void decimalPrecisionAndScaleAreBounded() {
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE dl_d1 (v DECIMAL(38, 38))"))
                .hasMessageContaining("scale");
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE dl_d2 (v DECIMAL(3, 5))"))
                .hasMessageContaining("scale");
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE dl_d3 (v DECIMAL(39, 0))"))
                .hasMessageContaining("precision");
    }

    /** r_Numeric_types201: DECIMAL of precision 19 or less is stored as a 64-bit integer. */
    @Test
    void decimalOfPrecision19OrLessHoldsA64BitUnscaledValue() throws SQLException {
        run(
                redshift,
                "CREATE TABLE dl_d64 (v DECIMAL(19, 2), w DECIMAL(20, 2))",
                "INSERT INTO dl_d64 VALUES (92233720368547758.07, 99999999999999999.99)");

        assertThatThrownBy(() -> run(redshift, "INSERT INTO dl_d64 VALUES (99999999999999999.99, 0)"))
                .hasMessageContaining("Numeric data overflow");
    }

    /** r_Character_types: a VARCHAR is at most 65,535 bytes, bound parameters included (JSON_PARSE, TO_VARBYTE). */
    @Test
    void varcharArgumentsOver65535BytesAreRefused() throws SQLException {
        run(redshift, "CREATE TABLE dl_big (doc SUPER, bin VARBYTE(100000))");
        String doc = "{\"a\": \"" + "x".repeat(70_000) + "\"}";
        try (Connection c = redshift.connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO dl_big (doc) VALUES (JSON_PARSE(?))")) {
            ps.setString(1, doc);
            assertThatThrownBy(ps::executeUpdate)
                    .hasMessageContaining("value too long for type character varying(65535)");
        }
        try (Connection c = redshift.connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO dl_big (bin) VALUES (TO_VARBYTE(?, 'hex'))")) {
            ps.setString(1, "ab".repeat(40_000));
            assertThatThrownBy(ps::executeUpdate)
                    .hasMessageContaining("value too long for type character varying(65535)");
        }
    }

    /** super-configurations: JSON_PARSE refuses a duplicate attribute unless json_parse_dedup_attributes is on. */
    @Test
    void jsonParseRefusesDuplicateAttributesUnlessToldToKeepTheLast() throws SQLException {
        run(redshift, "CREATE TABLE dl_dup (doc SUPER)");

        assertThatThrownBy(() -> run(
                        redshift, "INSERT INTO dl_dup VALUES (JSON_PARSE('{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}'))"))
                .hasMessageContaining("duplicate attribute");
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            s.execute("SET json_parse_dedup_attributes TO true");
            s.execute("INSERT INTO dl_dup VALUES (JSON_PARSE('{\"a\": 1, \"a\": 2}'))");
        }
        assertThat(column(redshift, "SELECT JSON_SERIALIZE(doc) FROM dl_dup")).containsExactly("{\"a\":2}");
    }

    /** c_unsupported-postgresql-features: PostgreSQL's system column names cannot be user column names. */
    @Test
    void systemColumnNamesAreNotColumnNames() throws SQLException {
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE dl_sys (oid INT)")).hasMessageContaining("system column");
        run(redshift, "CREATE TABLE dl_sys2 (id INT)");
        assertThatThrownBy(() -> run(redshift, "ALTER TABLE dl_sys2 ADD COLUMN xmin INT"))
                .hasMessageContaining("system column");
        assertThatThrownBy(() -> run(redshift, "ALTER TABLE dl_sys2 RENAME COLUMN id TO ctid"))
                .hasMessageContaining("system column");
    }

    /** r_CREATE_TABLE_NEW: Redshift's CREATE TABLE grammar has no CHECK constraint. */
    @Test
    void checkConstraintsAreNotRedshift() throws SQLException {
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE dl_chk (v INT CHECK (v > 0))"))
                .hasMessageContaining("CHECK");
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE dl_chk2 (v INT, CONSTRAINT c CHECK (v > 0))"))
                .hasMessageContaining("CHECK");
        run(redshift, "CREATE TABLE dl_chk3 (v INT)");
        assertThatThrownBy(() -> run(redshift, "ALTER TABLE dl_chk3 ADD CONSTRAINT c CHECK (v > 0)"))
                .hasMessageContaining("CHECK");
    }

    /** r_names: two 63-byte column names differing in their last byte are two columns, each with its limit. */
    @Test
    void longColumnNamesThatDifferInTheirLastByteAreTwoColumns() throws SQLException {
        String a = "c".repeat(62) + "a";
        String b = "c".repeat(62) + "b";
        run(
                redshift,
                "CREATE TABLE dl_long (" + a + " VARCHAR(3), " + b + " VARCHAR(5))",
                "INSERT INTO dl_long VALUES ('abc', 'abcde')");

        assertThatThrownBy(() -> run(redshift, "INSERT INTO dl_long VALUES ('abcd', 'x')"))
                .hasMessageContaining("character varying(3)");
    }

    /** r_VARBYTE_type: VARBYTE(n) goes up to 16,777,216 bytes. */
    @Test
    void varbyteGoesUpTo16MiB() throws SQLException {
        run(redshift, "CREATE TABLE dl_vb (v VARBYTE(16777216))");
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE dl_vb2 (v VARBYTE(16777217))"))
                .hasMessageContaining("cannot exceed 16777216");
    }
}

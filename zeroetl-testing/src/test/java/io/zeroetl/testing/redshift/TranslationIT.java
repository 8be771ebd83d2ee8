package io.zeroetl.testing.redshift;

import static io.zeroetl.testing.redshift.EmulatorFixture.column;
import static io.zeroetl.testing.redshift.EmulatorFixture.postgres;
import static io.zeroetl.testing.redshift.EmulatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.RedshiftEmulatorExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requirement 2: Redshift-only syntax is translated, through the real driver. */
class TranslationIT {
    @RegisterExtension
    static RedshiftEmulatorExtension emulator = new RedshiftEmulatorExtension();

    static RedshiftEmulator redshift;

    @BeforeAll
    static void start() {
        redshift = emulator.emulator();
    }

    @Test
    void tableAndColumnDistributionSortAndEncodingAttributesAreAccepted() throws SQLException {
        run(
                redshift,
                "CREATE TABLE tr_a (id INT ENCODE az64 DISTKEY SORTKEY, name VARCHAR(10) ENCODE lzo)"
                        + " DISTSTYLE KEY DISTKEY(id) COMPOUND SORTKEY(id, name) BACKUP NO",
                "CREATE TABLE tr_b (id INT) DISTSTYLE EVEN INTERLEAVED SORTKEY(id) ENCODE AUTO",
                "CREATE TABLE tr_c (id INT) DISTSTYLE ALL SORTKEY AUTO BACKUP YES",
                "CREATE TABLE tr_d (id INT) DISTSTYLE AUTO",
                "INSERT INTO tr_a VALUES (1, 'one')");

        assertThat(column(redshift, "SELECT name FROM tr_a")).containsExactly("one");
        assertThatThrownBy(() -> run(redshift, "CREATE TABLE tr_e (id INT) DISTSTYLE SIDEWAYS"))
                .hasMessageContaining("DISTSTYLE takes AUTO, EVEN, KEY or ALL");
    }

    @Test
    void superHoldsJsonWithJsonParseSerializeAndSize() throws SQLException {
        run(
                redshift,
                "CREATE TABLE tr_super (id INT, doc SUPER)",
                "INSERT INTO tr_super VALUES (1, JSON_PARSE('{\"a\": [1, 2], \"b\": \"x\"}'))");

        assertThat(column(redshift, "SELECT JSON_SERIALIZE(doc) FROM tr_super"))
                .containsExactly("{\"a\":[1,2],\"b\":\"x\"}");
        assertThat(column(redshift, "SELECT JSON_SIZE(doc) FROM tr_super")).containsExactly("19");
        try (Connection c = redshift.connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO tr_super VALUES (2, JSON_PARSE(?))")) {
            ps.setString(1, "{\"s\": \"x, y: z\", \"q\\\"k\": [{\"e\": \"\\\\\"}, null, true, 1.50, {}, []]}");
            ps.executeUpdate();
        }
        assertThat(column(redshift, "SELECT JSON_SERIALIZE(doc) FROM tr_super WHERE id = 2"))
                .as("separators inside strings, escaped quotes and backslashes kept")
                .containsExactly("{\"s\":\"x, y: z\",\"q\\\"k\":[{\"e\":\"\\\\\"},null,true,1.50,{},[]]}");
        assertThat(postgres(
                        redshift,
                        "SELECT data_type FROM information_schema.columns WHERE table_name = 'tr_super'"
                                + " AND column_name = 'doc'"))
                .containsExactly("jsonb");
    }

    @Test
    void varbyteIsByteaWithItsByteLimitEnforced() throws SQLException {
        run(
                redshift,
                "CREATE TABLE tr_vb (b VARBYTE(4), d VARBINARY)",
                "INSERT INTO tr_vb VALUES ('abcd'::varbyte, NULL)");

        assertThatThrownBy(() -> run(redshift, "INSERT INTO tr_vb VALUES ('abcde'::varbyte, NULL)"))
                .hasMessageContaining("value too long for type varbyte(4)");
        assertThat(column(redshift, "SELECT octet_length(b) FROM tr_vb")).containsExactly("4");
    }

    @Test
    void varcharLengthCountsBytesNotCharacters() throws SQLException {
        run(
                redshift,
                "CREATE TABLE tr_vc (v VARCHAR(4))",
                "INSERT INTO tr_vc VALUES ('abcd')",
                "INSERT INTO tr_vc VALUES ('éé')");

        assertThatThrownBy(() -> run(redshift, "INSERT INTO tr_vc VALUES ('ééé')"))
                .hasMessageContaining("value too long for type character varying(4)");
        assertThat(column(redshift, "SELECT v FROM tr_vc ORDER BY v")).containsExactly("abcd", "éé");
    }

    @Test
    void varcharMaxIs65535AndBareVarcharAndTextAre256Bytes() throws SQLException {
        run(
                redshift,
                "CREATE TABLE tr_len (m VARCHAR(MAX), b VARCHAR, t TEXT)",
                "INSERT INTO tr_len VALUES (repeat('x', 65535), repeat('y', 256), repeat('z', 256))");

        assertThatThrownBy(() -> run(redshift, "INSERT INTO tr_len (m) VALUES (repeat('x', 65536))"))
                .hasMessageContaining("character varying(65535)");
        assertThatThrownBy(() -> run(redshift, "INSERT INTO tr_len (b) VALUES (repeat('y', 257))"))
                .hasMessageContaining("character varying(256)");
        assertThatThrownBy(() -> run(redshift, "INSERT INTO tr_len (t) VALUES (repeat('z', 257))"))
                .hasMessageContaining("character varying(256)");
    }

    @Test
    void charAcceptsAsciiOnlyAndCharMaxIs4096() throws SQLException {
        run(
                redshift,
                "CREATE TABLE tr_ch (c CHAR(3), m CHAR(MAX))",
                "INSERT INTO tr_ch VALUES ('abc', repeat('a', 4096))");

        assertThatThrownBy(() -> run(redshift, "INSERT INTO tr_ch (c) VALUES ('é')"))
                .hasMessageContaining("Multibyte character not supported for CHAR");
        assertThatThrownBy(() -> run(redshift, "INSERT INTO tr_ch (m) VALUES (repeat('a', 4097))"))
                .hasMessageContaining("too long");
    }

    @Test
    void decimalWithoutPrecisionIs18Digits0Scale() throws SQLException {
        run(redshift, "CREATE TABLE tr_dec (d DECIMAL, n NUMERIC(10))", "INSERT INTO tr_dec VALUES (1.5, 2.4)");

        assertThat(postgres(
                        redshift,
                        "SELECT numeric_precision || ',' || numeric_scale FROM information_schema.columns"
                                + " WHERE table_name = 'tr_dec' ORDER BY ordinal_position"))
                .containsExactly("18,0", "10,0");
        assertThat(column(redshift, "SELECT d || '/' || n FROM tr_dec")).containsExactly("2/2");
    }

    @Test
    void getdateAndSysdateGiveTheCurrentTimestamp() throws SQLException {
        assertThat(column(redshift, "SELECT GETDATE()"))
                .singleElement()
                .asString()
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.0)?");
        assertThat(column(redshift, "SELECT SYSDATE"))
                .singleElement()
                .asString()
                .startsWith("20");
    }

    @Test
    void deleteWithoutFromDeletes() throws SQLException {
        run(
                redshift,
                "CREATE TABLE tr_del (id INT)",
                "INSERT INTO tr_del VALUES (1), (2)",
                "DELETE tr_del WHERE id = 1");

        assertThat(column(redshift, "SELECT id FROM tr_del")).containsExactly("2");
    }

    @Test
    void keysAreDeclaredButNotEnforced() throws SQLException {
        run(
                redshift,
                "CREATE TABLE tr_parent (id INT PRIMARY KEY)",
                "CREATE TABLE tr_keys (id INT PRIMARY KEY, u INT UNIQUE, p INT REFERENCES tr_parent(id),"
                        + " CONSTRAINT tr_keys_u2 UNIQUE (u, p), FOREIGN KEY (p) REFERENCES tr_parent (id))",
                "INSERT INTO tr_keys VALUES (1, 1, 99), (1, 1, 99)");

        assertThat(column(redshift, "SELECT count(*) FROM tr_keys")).containsExactly("2");
    }

    @Test
    void mergeInRedshiftsFormsUpdatesInsertsAndDeletes() throws SQLException {
        run(
                redshift,
                "CREATE TABLE tr_m (id INT, v VARCHAR(10))",
                "CREATE TABLE tr_m_src (id INT, v VARCHAR(10))",
                "INSERT INTO tr_m VALUES (1, 'old'), (2, 'gone')",
                "INSERT INTO tr_m_src VALUES (1, 'new'), (3, 'added')",
                "MERGE INTO tr_m USING tr_m_src s ON tr_m.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v"
                        + " WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)");
        assertThat(column(redshift, "SELECT id || v FROM tr_m ORDER BY id")).containsExactly("1new", "2gone", "3added");

        run(redshift, "MERGE INTO tr_m USING tr_m_src s ON tr_m.id = s.id WHEN MATCHED THEN DELETE");
        assertThat(column(redshift, "SELECT id FROM tr_m ORDER BY id")).containsExactly("2");

        run(
                redshift,
                "INSERT INTO tr_m_src VALUES (2, 'replaced')",
                "MERGE INTO tr_m USING tr_m_src ON tr_m.id = tr_m_src.id REMOVE DUPLICATES");
        assertThat(column(redshift, "SELECT id || v FROM tr_m ORDER BY id"))
                .containsExactly("1new", "2replaced", "3added");
    }

    @Test
    void hashNamesAndLikeMakeSessionTemporaryTables() throws SQLException {
        run(redshift, "CREATE TABLE tr_base (id INT NOT NULL, v VARCHAR(5))");
        try (Connection c = redshift.connect();
                var s = c.createStatement()) {
            s.execute("CREATE TABLE #stage (id INT)");
            s.execute("INSERT INTO #stage VALUES (7)");
            s.execute("CREATE TEMP TABLE tr_like (LIKE tr_base)");
            s.execute("INSERT INTO tr_like VALUES (8, 'x')");
            assertThat(column(c, "SELECT id FROM #stage")).containsExactly("7");
            assertThat(column(c, "SELECT id FROM tr_like")).containsExactly("8");
            assertThatThrownBy(() -> s.execute("INSERT INTO tr_like VALUES (NULL, 'y')"))
                    .hasMessageContaining("null");
        }
        assertThatThrownBy(() -> column(redshift, "SELECT id FROM #stage")).hasMessageContaining("does not exist");
    }
}

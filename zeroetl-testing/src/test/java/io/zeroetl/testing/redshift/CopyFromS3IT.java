package io.zeroetl.testing.redshift;

import static io.zeroetl.testing.redshift.EmulatorFixture.column;
import static io.zeroetl.testing.redshift.EmulatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import io.zeroetl.testing.S3ServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The emulator runs Redshift's COPY from S3 (r_COPY and its parameter pages) against an S3 server in the test
 * JVM: the data formats and conversions zeroetl and users rely on, and the documented refusals.
 */
class CopyFromS3IT {
    private static final String ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-load'";

    @RegisterExtension
    static S3ServerExtension bucket = new S3ServerExtension("loads");

    static S3Server s3;
    static RedshiftEmulator redshift;

    @BeforeAll
    static void start() {
        s3 = bucket.server();
        redshift = RedshiftEmulator.builder().s3(s3).start();
    }

    @AfterAll
    static void stop() {
        redshift.close();
    }

    /** copy-parameters-data-format (CSV), copy-usage-varbyte (hex), ingest-super (CSV: serialized JSON). */
    @Test
    void aGzippedCsvManifestLoadsEveryTypeWithQuotesNullsAndEmptyStrings() throws Exception {
        run(
                redshift,
                "CREATE TABLE c_types (id INT, name VARCHAR(40), doc SUPER, bin VARBYTE(100), at TIMESTAMPTZ,"
                        + " ok BOOLEAN)");
        put(
                "c/part-1.csv.gz",
                gzip(
                        "1,\"a, \"\"quoted\"\"\nline\",\"{\"\"k\"\":[1,2]}\",\"00ff\",\"2024-01-02 03:04:05.123456+00\",t\n"
                                + "2,\"\",NULLMARK,NULLMARK,NULLMARK,NULLMARK\n"));
        put("c/part-2.csv.gz", gzip("3, \"spaces around the quotes are ignored\" ,\"\"\"text\"\"\",\"\",NULLMARK,f\n"));
        put(
                "c/manifest",
                ("{\"entries\":[{\"url\":\"s3://loads/c/part-1.csv.gz\",\"mandatory\":true},"
                                + "{\"url\":\"s3://loads/c/part-2.csv.gz\",\"mandatory\":true}]}")
                        .getBytes(StandardCharsets.UTF_8));

        run(
                redshift,
                "COPY c_types FROM 's3://loads/c/manifest' " + ROLE + " MANIFEST FORMAT AS CSV GZIP"
                        + " NULL AS 'NULLMARK' TIMEFORMAT 'auto' REGION 'us-east-1'");

        assertThat(column(
                        redshift,
                        "SELECT id || '|' || NVL(name, '<null>') || '|' || NVL(JSON_SERIALIZE(doc), '<null>')"
                                + " || '|' || NVL(TO_HEX(bin), '<null>') || '|' || NVL(CAST(ok AS VARCHAR), '<null>') FROM c_types"
                                + " ORDER BY id"))
                .containsExactly(
                        "1|a, \"quoted\"\nline|{\"k\":[1,2]}|00ff|true",
                        "2||<null>|<null>|<null>",
                        "3|spaces around the quotes are ignored|\"text\"|<null>|false");
        assertThat(column(redshift, "SELECT at FROM c_types WHERE id = 1"))
                .singleElement()
                .asString()
                .startsWith("2024-01-02 03:04:05.123456");
    }

    /**
     * copy-parameters-file-compression: ZSTD files (Zstandard, "supported only with COPY from Amazon S3") load;
     * one compression parameter at most; BZIP2 and LZOP are not read by the emulator, and say so.
     */
    @Test
    void aZstandardFileLoadsWithZstdAndOneCompressionAtMost() throws Exception {
        run(redshift, "CREATE TABLE c_zstd (id INT, name VARCHAR(40))");
        put(
                "z/part-1.csv.zst",
                Zstd.compress("1,\"one, \"\"quoted\"\"\"\n2,NULLMARK\n".getBytes(StandardCharsets.UTF_8), 1));

        run(
                redshift,
                "COPY c_zstd FROM 's3://loads/z/part-1.csv.zst' " + ROLE + " FORMAT AS CSV ZSTD NULL AS 'NULLMARK'");

        assertThat(column(redshift, "SELECT id || '|' || NVL(name, '<null>') FROM c_zstd ORDER BY id"))
                .containsExactly("1|one, \"quoted\"", "2|<null>");
        assertThatThrownBy(() ->
                        run(redshift, "COPY c_zstd FROM 's3://loads/z/part-1.csv.zst' " + ROLE + " CSV GZIP ZSTD"))
                .hasMessageContaining("one file compression parameter");
        assertThatThrownBy(() -> run(redshift, "COPY c_zstd FROM 's3://loads/z/part-1.csv.zst' " + ROLE + " CSV BZIP2"))
                .hasMessageContaining("BZIP2");
    }

    /** copy-parameters-authorization: COPY from S3 needs IAM_ROLE, CREDENTIALS or keys. */
    @Test
    void aCopyWithoutAuthorizationIsRefused() throws Exception {
        run(redshift, "CREATE TABLE c_auth (id INT)");
        put("auth/1.csv", "1\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> run(redshift, "COPY c_auth FROM 's3://loads/auth/1.csv' CSV"))
                .hasMessageContaining("authorization");
        assertThatThrownBy(() -> run(
                        redshift,
                        "COPY c_auth FROM 's3://loads/auth/1.csv' ACCESS_KEY_ID 'AKIAWRONG'"
                                + " SECRET_ACCESS_KEY 'wrong' CSV"))
                .hasMessageContaining("S3ServiceException");
        run(
                redshift,
                "COPY c_auth FROM 's3://loads/auth/1.csv' ACCESS_KEY_ID '" + s3.accessKeyId() + "' SECRET_ACCESS_KEY '"
                        + s3.secretAccessKey() + "' CSV");
        assertThat(column(redshift, "SELECT count(*) FROM c_auth")).containsExactly("1");
    }

    /** copy-parameters-data-format: "CSV can't be used with FIXEDWIDTH, REMOVEQUOTES, or ESCAPE". */
    @Test
    void csvWithEscapeOrRemoveQuotesIsRefused() throws Exception {
        run(redshift, "CREATE TABLE c_escape (id INT)");
        assertThatThrownBy(() -> run(redshift, "COPY c_escape FROM 's3://loads/x' " + ROLE + " CSV ESCAPE"))
                .hasMessageContaining("CSV can't be used with");
        assertThatThrownBy(() -> run(redshift, "COPY c_escape FROM 's3://loads/x' " + ROLE + " CSV REMOVEQUOTES"))
                .hasMessageContaining("CSV can't be used with");
    }

    /** r_STL_LOAD_ERRORS with PG_LAST_COPY_ID: a value its column cannot take fails the load, and says where. */
    @Test
    void aBadValueFailsTheLoadAndIsInStlLoadErrors() throws Exception {
        run(redshift, "CREATE TABLE c_bad (id INT, note VARCHAR(10))");
        put("bad/1.csv", "1,fine\nnot-a-number,bad\n".getBytes(StandardCharsets.UTF_8));

        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("COPY c_bad FROM 's3://loads/bad/1.csv' " + ROLE + " CSV"))
                    .hasMessageContaining("Load into table 'c_bad' failed")
                    .hasMessageContaining("stl_load_errors");
            assertThat(column(
                            c,
                            "SELECT TRIM(filename) || '|' || line_number || '|' || TRIM(colname) || '|'"
                                    + " || TRIM(raw_field_value) FROM STL_LOAD_ERRORS WHERE query = PG_LAST_COPY_ID()"))
                    .containsExactly("s3://loads/bad/1.csv|2|id|not-a-number");
            assertThat(column(c, "SELECT count(*) FROM c_bad")).containsExactly("0");
        }
    }

    /**
     * A bad record after megabytes of good ones still fails the whole COPY, nothing loaded, with only that record
     * in STL_LOAD_ERRORS.
     */
    @Test
    void aBadRecordAfterMegabytesOfGoodOnesFailsTheWholeLoadWithOnlyItsError() throws Exception {
        run(redshift, "CREATE TABLE c_late (id INT, note VARCHAR(20))");
        StringBuilder csv = new StringBuilder();
        for (int i = 1; i <= 200_000; i++) {
            csv.append(i).append(",row ").append(i).append('\n');
        }
        csv.append("oops,the last\n");
        put("late/1.csv", csv.toString().getBytes(StandardCharsets.UTF_8));

        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("COPY c_late FROM 's3://loads/late/1.csv' " + ROLE + " CSV"))
                    .hasMessageContaining("Load into table 'c_late' failed");
            assertThat(column(
                            c,
                            "SELECT line_number || '|' || TRIM(colname) || '|' || TRIM(raw_field_value)"
                                    + " FROM STL_LOAD_ERRORS WHERE query = PG_LAST_COPY_ID()"))
                    .containsExactly("200001|id|oops");
            assertThat(column(c, "SELECT count(*) FROM c_late")).containsExactly("0");
        }
    }

    /**
     * A COPY refused before anything is read (its transaction failed already) leaves no load behind: the session
     * goes on, and the same COPY loads every row once the transaction is rolled back.
     */
    @Test
    void aCopyRefusedBeforeReadingLeavesNoLoadBehind() throws Exception {
        run(redshift, "CREATE TABLE c_aborted (id INT, note VARCHAR(20))");
        StringBuilder csv = new StringBuilder();
        for (int i = 1; i <= 100_000; i++) {
            csv.append(i).append(",row ").append(i).append('\n');
        }
        put("aborted/1.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        String copy = "COPY c_aborted FROM 's3://loads/aborted/1.csv' " + ROLE + " CSV";

        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> s.execute("SELECT 1 / 0")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute(copy)).hasMessageContaining("aborted");
            c.rollback();
            s.execute(copy);
            c.commit();
            assertThat(column(c, "SELECT count(*) || '|' || count(DISTINCT id) FROM c_aborted"))
                    .containsExactly("100000|100000");
        }
        // the proxy releases a COPY's writer before it passes the answer on, so none may be left by now; one
        // waiting for a reader that never comes stays in the native open of its pipe
        assertThat(writing()).as("loads still writing").isZero();
    }

    private static long writing() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(t -> t.getKey().getName().startsWith("redshift-emulator-copy-"))
                .filter(t -> Arrays.stream(t.getValue())
                        .anyMatch(f -> f.getClassName().equals("java.io.FileOutputStream")
                                && f.getMethodName().startsWith("open")))
                .count();
    }

    /** r_COPY: "The table can be temporary or persistent"; the load is part of the transaction. */
    @Test
    void aCopyIntoATemporaryTableIsPartOfTheTransaction() throws Exception {
        put("tmp/1.csv", "1,a\n2,b\n".getBytes(StandardCharsets.UTF_8));
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TEMP TABLE c_stage (id BIGINT, v VARCHAR(5))");
            s.execute("COPY c_stage FROM 's3://loads/tmp/1.csv' " + ROLE + " CSV");
            assertThat(column(c, "SELECT count(*) FROM c_stage")).containsExactly("2");
            c.rollback();
            s.execute("CREATE TEMP TABLE c_stage (id BIGINT, v VARCHAR(5))");
            assertThat(column(c, "SELECT count(*) FROM c_stage")).containsExactly("0");
            c.rollback();
        }
    }

    /** r_ALTER_TABLE: a column added to a temporary table (inside a transaction) is one a COPY can name. */
    @Test
    void aCopyNamesAColumnAddedToATemporaryTable() throws Exception {
        put("grown/1.csv", "1,a,x\n".getBytes(StandardCharsets.UTF_8));
        try (Connection c = redshift.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE c_grown (id BIGINT, v VARCHAR(5))");
            c.setAutoCommit(false);
            s.execute("ALTER TABLE c_grown ADD COLUMN w VARCHAR(5)");
            s.execute("COPY c_grown (id, v, w) FROM 's3://loads/grown/1.csv' " + ROLE + " CSV");
            assertThat(column(c, "SELECT id || v || w FROM c_grown")).containsExactly("1ax");
            c.rollback();
        }
    }

    /** copy-usage_notes-copy-from-json, ingest-super: JSON 'auto' matches keys to columns; SUPER takes the value. */
    @Test
    void jsonAutoLoadsDocumentsIntoSuper() throws Exception {
        run(redshift, "CREATE TABLE c_json (id INT, doc SUPER, label VARCHAR(10))");
        put(
                "json/1.json",
                ("{\"id\": 1, \"doc\": {\"a\": [1, {\"b\": null}]}, \"label\": \"one\"}\n"
                                + "{\"id\": 2, \"doc\": \"just a string\"}\n")
                        .getBytes(StandardCharsets.UTF_8));

        run(redshift, "COPY c_json FROM 's3://loads/json/1.json' " + ROLE + " FORMAT JSON 'auto'");

        assertThat(column(
                        redshift,
                        "SELECT id || '|' || JSON_SERIALIZE(doc) || '|' || NVL(label, '<null>') FROM c_json"
                                + " ORDER BY id"))
                .containsExactly("1|{\"a\":[1,{\"b\":null}]}|one", "2|\"just a string\"|<null>");
    }

    /** copy-parameters-data-source-s3: a mandatory manifest entry that is missing fails the COPY. */
    @Test
    void aMissingMandatoryFileFailsTheCopy() throws Exception {
        run(redshift, "CREATE TABLE c_missing (id INT)");
        put(
                "missing/manifest",
                "{\"entries\":[{\"url\":\"s3://loads/missing/nope.csv\",\"mandatory\":true}]}"
                        .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() ->
                        run(redshift, "COPY c_missing FROM 's3://loads/missing/manifest' " + ROLE + " MANIFEST CSV"))
                .hasMessageContaining("mandatory");
        assertThatThrownBy(() -> run(redshift, "COPY c_missing FROM 's3://loads/missing/manifest' " + ROLE + " CSV"))
                .as("a manifest read as data")
                .isInstanceOf(SQLException.class);
    }

    private static void put(String key, byte[] content) {
        s3.client().putObject(b -> b.bucket("loads").key(key), RequestBody.fromBytes(content));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}

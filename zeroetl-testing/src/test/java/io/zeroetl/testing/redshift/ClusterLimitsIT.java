package io.zeroetl.testing.redshift;

import static io.zeroetl.testing.redshift.EmulatorFixture.column;
import static io.zeroetl.testing.redshift.EmulatorFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import io.zeroetl.testing.S3ServerExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Limits a real cluster enforces that an emulator over PostgreSQL would not, each on its AWS page: COPY's
 * 4 MB rows, SUPER's 65,535-byte strings, VARCHAR results of TO_HEX and JSON_SERIALIZE, ROUNDEC, the slices
 * a loader splits its files by, Serverless without STL tables, and SNAPSHOT isolation.
 */
class ClusterLimitsIT {
    private static final String ROLE = "IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-load'";

    @RegisterExtension
    static S3ServerExtension bucket = new S3ServerExtension("limits");

    static S3Server s3;
    static RedshiftEmulator redshift;

    @BeforeAll
    static void start() {
        s3 = bucket.server();
        redshift = RedshiftEmulator.builder().s3(s3).slices(4).start();
    }

    @AfterAll
    static void stop() {
        redshift.close();
    }

    /** copy-parameters-data-source: "The maximum size of a single input row from any source is 4 MB." */
    @Test
    void aCopyRowOver4MbIsRefused() throws Exception {
        run(redshift, "CREATE TABLE cl_row (id INT, bin VARBYTE(16777216))");
        put("row/small.csv", "1,\"" + "ab".repeat(1_000_000) + "\"\n");
        put("row/large.csv", "2,\"" + "ab".repeat(2_200_000) + "\"\n");

        run(redshift, "COPY cl_row FROM 's3://limits/row/small.csv' " + ROLE + " CSV");
        assertThatThrownBy(() -> run(redshift, "COPY cl_row FROM 's3://limits/row/large.csv' " + ROLE + " CSV"))
                .hasMessageContaining("Load into table 'cl_row' failed");
        assertThat(column(
                        redshift,
                        "SELECT TRIM(err_reason) FROM stl_load_errors WHERE TRIM(filename) LIKE" + " '%row/large.csv'"))
                .singleElement()
                .asString()
                .contains("4 MB");
    }

    /** limitations-super: a string value inside a SUPER holds at most 65,535 bytes, by COPY or JSON_PARSE. */
    @Test
    void aSuperStringOver65535BytesIsRefusedByCopyAndJsonParse() throws Exception {
        run(redshift, "CREATE TABLE cl_super (id INT, doc SUPER)");
        String longString = "\"\"\"" + "x".repeat(70_000) + "\"\"\"";
        put("super/1.csv", "1,\"[1, " + longString + "]\"\n");
        assertThatThrownBy(() -> run(redshift, "COPY cl_super FROM 's3://limits/super/1.csv' " + ROLE + " CSV"))
                .hasMessageContaining("Load into table 'cl_super' failed");

        // many short strings make a document far over 65,535 bytes that COPY loads
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            many.append(i == 0 ? "" : ",").append("\"\"v").append(i).append("\"\"");
        }
        put("super/2.csv", "2,\"" + many + "]\"\n");
        run(redshift, "COPY cl_super FROM 's3://limits/super/2.csv' " + ROLE + " CSV");
        assertThat(column(redshift, "SELECT JSON_SIZE(doc) > 65535 FROM cl_super WHERE id = 2"))
                .containsExactly("t");
        // JSON_SERIALIZE returns a VARCHAR (JSON_SERIALIZE); JSON_SERIALIZE_TO_VARBYTE does not
        assertThatThrownBy(() -> run(redshift, "SELECT JSON_SERIALIZE(doc) FROM cl_super WHERE id = 2"))
                .hasMessageContaining("65535");
        assertThat(column(redshift, "SELECT LEN(JSON_SERIALIZE_TO_VARBYTE(doc)) > 65535 FROM cl_super WHERE id = 2"))
                .containsExactly("t");
    }

    /** TO_HEX returns a VARCHAR: a VARBYTE over 32,767 bytes has no hex form in one value (TO_HEX). */
    @Test
    void toHexOfAVarbyteOver32KbIsRefused() throws Exception {
        run(redshift, "CREATE TABLE cl_hex (bin VARBYTE(100000))");
        try (Connection c = redshift.connect();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO cl_hex VALUES (TO_VARBYTE(?, 'hex') || TO_VARBYTE(?, 'hex'))")) {
            ps.setString(1, "ab".repeat(30_000));
            ps.setString(2, "cd".repeat(30_000));
            ps.executeUpdate();
        }
        assertThat(column(redshift, "SELECT LEN(bin) FROM cl_hex")).containsExactly("60000");
        assertThatThrownBy(() -> run(redshift, "SELECT TO_HEX(bin) FROM cl_hex"))
                .hasMessageContaining("65535");
    }

    /** copy-parameters-data-conversion: COPY truncates extra fraction digits unless told ROUNDEC. */
    @Test
    void copyTruncatesDecimalsUnlessToldToRound() throws Exception {
        run(redshift, "CREATE TABLE cl_dec (id INT, amount DECIMAL(10,2))");
        put("dec/1.csv", "1,1.239\n2,-3.4567\n");
        run(redshift, "COPY cl_dec FROM 's3://limits/dec/1.csv' " + ROLE + " CSV");
        run(redshift, "COPY cl_dec FROM 's3://limits/dec/1.csv' " + ROLE + " CSV ROUNDEC");
        assertThat(column(redshift, "SELECT amount FROM cl_dec ORDER BY amount"))
                .containsExactly("-3.46", "-3.45", "1.23", "1.24");
    }

    /** r_STV_SLICES: one row a slice, as a loader asks to split its files by (c_best-practices-use-multiple-files). */
    @Test
    void stvSlicesListsTheClustersSlices() throws SQLException {
        assertThat(column(redshift, "SELECT COUNT(*) FROM stv_slices")).containsExactly("4");
    }

    /** SYS_LOAD_ERROR_DETAIL: Serverless has the SYS views and no STL tables. */
    @Test
    void serverlessHasNoStlTables() throws Exception {
        try (RedshiftEmulator serverless =
                RedshiftEmulator.builder().s3(s3).serverless().start()) {
            run(serverless, "CREATE TABLE cl_bad (id INT)");
            put("bad/1.csv", "x\n");
            assertThatThrownBy(() -> run(serverless, "COPY cl_bad FROM 's3://limits/bad/1.csv' " + ROLE + " CSV"))
                    .hasMessageContaining("Load into table 'cl_bad' failed");
            assertThatThrownBy(() -> run(serverless, "SELECT COUNT(*) FROM stl_load_errors"))
                    .isInstanceOf(SQLException.class);
            assertThat(column(serverless, "SELECT column_name || '|' || line_number FROM sys_load_error_detail"))
                    .containsExactly("id|1");
        }
    }

    /**
     * c_serial_isolation: under SNAPSHOT isolation two transactions that each read what the other writes both
     * commit (write skew), where SERIALIZABLE fails one; two updates of one row still conflict.
     */
    @Test
    void snapshotIsolationAllowsWriteSkewAndRefusesConcurrentUpdatesOfARow() throws Exception {
        try (RedshiftEmulator snapshot = RedshiftEmulator.builder()
                .isolation(RedshiftEmulator.Isolation.SNAPSHOT)
                .start()) {
            run(snapshot, "CREATE TABLE cl_skew (k VARCHAR(10), v INT)", "INSERT INTO cl_skew VALUES ('r', 0)");
            try (Connection a = snapshot.connect();
                    Connection b = snapshot.connect();
                    Statement sa = a.createStatement();
                    Statement sb = b.createStatement()) {
                a.setAutoCommit(false);
                b.setAutoCommit(false);
                sa.executeQuery("SELECT COUNT(*) FROM cl_skew").close();
                sb.executeQuery("SELECT COUNT(*) FROM cl_skew").close();
                sa.execute("INSERT INTO cl_skew VALUES ('a', 1)");
                sb.execute("INSERT INTO cl_skew VALUES ('b', 1)");
                a.commit();
                b.commit();

                sa.executeQuery("SELECT v FROM cl_skew WHERE k = 'r'").close();
                sb.executeQuery("SELECT v FROM cl_skew WHERE k = 'r'").close();
                sa.execute("UPDATE cl_skew SET v = 1 WHERE k = 'r'");
                a.commit();
                assertThatThrownBy(() -> sb.execute("UPDATE cl_skew SET v = 2 WHERE k = 'r'"))
                        .isInstanceOf(SQLException.class);
                b.rollback();
            }
            assertThat(column(snapshot, "SELECT COUNT(*) FROM cl_skew")).containsExactly("3");
        }
    }

    private static void put(String key, String content) {
        s3.client()
                .putObject(
                        b -> b.bucket("limits").key(key),
                        RequestBody.fromBytes(content.getBytes(StandardCharsets.UTF_8)));
    }
}

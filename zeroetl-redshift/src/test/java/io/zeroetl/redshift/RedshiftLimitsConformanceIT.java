package io.zeroetl.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Lsn;
import io.zeroetl.Pipeline;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.ZeroEtl;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import io.zeroetl.fakes.FakeLog;
import io.zeroetl.fakes.FakeReader;
import io.zeroetl.fakes.FakeSource;
import io.zeroetl.fakes.Harness;
import io.zeroetl.spi.RowDigests;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Conformance for a real cluster's documented limits, through both loaders: values up to what Redshift holds
 * land whole (a 1 MB and a 3 MB VARBYTE, a SUPER document of 270 KB through COPY), what it refuses goes to the
 * value policy before anything is sent (a SUPER string over 65,535 bytes; a document over a bound VARCHAR
 * through INSERTs), and validation digests the large values. Run against a cluster of yours as
 * {@link RedshiftConformanceIT} says; the S3 case also needs {@code -Dzeroetl.redshift.s3.bucket=...} and
 * {@code -Dzeroetl.redshift.s3.role=arn:aws:iam::...} (credentials from the default chain), or is skipped.
 */
class RedshiftLimitsConformanceIT {
    private static final String URL = System.getProperty("zeroetl.redshift.url", "");
    private static final String BUCKET = System.getProperty("zeroetl.redshift.s3.bucket", "");
    private static final String SCHEMA =
            "zeroetl_limits_" + UUID.randomUUID().toString().substring(0, 8);
    private static final TableId BIG = TableId.of("conf", "big");
    private static RedshiftEmulator emulator;
    private static S3Server s3;

    @BeforeAll
    static void start() {
        if (URL.isEmpty()) {
            s3 = S3Server.start();
            s3.createBucket("limits");
            emulator = RedshiftEmulator.builder().s3(s3).start();
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String suffix : List.of("_insert", "_s3")) {
                s.execute("DROP SCHEMA IF EXISTS \"" + SCHEMA + suffix + "\" CASCADE");
                s.execute("DROP SCHEMA IF EXISTS \"" + SCHEMA + suffix + "_state\" CASCADE");
            }
        }
        if (emulator != null) {
            assertThat(emulator.rejectedStatements())
                    .as("statements the emulator rejected")
                    .isEmpty();
            emulator.close();
            s3.close();
        }
    }

    @ParameterizedTest(name = "staged through {0}")
    @ValueSource(strings = {"insert", "s3"})
    void largeValuesLandWholeOrGoToTheValuePolicyAndValidate(String loader) throws Exception {
        Assumptions.assumeTrue(
                loader.equals("insert") || emulator != null || !BUCKET.isEmpty(), "no S3 bucket for the cluster");
        String schema = SCHEMA + "_" + loader;
        ColumnType int4 = new ColumnType("int4", 23, ColumnType.Size.NONE, ValueType.INT32);
        TableSchema big = new TableSchema(
                BIG,
                List.of(
                        new Column("id", int4, true, false),
                        new Column(
                                "b", new ColumnType("bytea", 17, ColumnType.Size.NONE, ValueType.BYTES), false, true),
                        new Column(
                                "j", new ColumnType("jsonb", 3802, ColumnType.Size.NONE, ValueType.JSON), false, true)),
                TableSchema.ReplicaIdentity.DEFAULT);
        StringBuilder doc = new StringBuilder("[");
        for (int i = 0; i < 30_000; i++) {
            doc.append(i == 0 ? "" : ", ").append("\"v").append(i).append('"');
        }
        FakeLog log = new FakeLog();
        log.transaction(x -> List.of(
                new RelationEvent(big),
                new InsertEvent(BIG, Row.of(1, bytes(1 << 20), null), 50),
                new InsertEvent(BIG, Row.of(2, bytes(3 << 20), null), 50),
                new InsertEvent(BIG, Row.of(3, null, "{\"s\": \"" + "x".repeat(70_000) + "\"}"), 50),
                new InsertEvent(BIG, Row.of(4, null, doc.append(']').toString()), 50)));
        RedshiftTarget target = target(schema, loader);
        FakeSource source = new FakeSource(new FakeReader(log, () -> Lsn.of(Long.MAX_VALUE)));
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables(List.of(BIG))
                .pipelineId("limits_" + loader)
                .flushInterval(Duration.ofMillis(50))
                .start()) {
            Harness.awaitCaughtUp(pipeline);
            assertThat(pipeline.status().table(BIG).orElseThrow().state()).isEqualTo(TableState.SYNCED);
        }
        assertThat(query("SELECT id || ':' || NVL(CAST(LEN(b) AS VARCHAR), '-') || ':' || NVL(CAST(JSON_SIZE(j) >"
                        + " 65535 AS VARCHAR), '-') FROM \"" + schema + "\".big ORDER BY id"))
                .containsExactly(
                        "1:" + (1 << 20) + ":-",
                        "2:" + (3 << 20) + ":-",
                        "3:-:-",
                        loader.equals("s3") ? "4:-:true" : "4:-:-");
        assertThat(query(
                        "SELECT row_key || ' ' || column_name FROM \"" + schema + "_state\".zeroetl_errors ORDER BY 1"))
                .containsExactlyElementsOf(loader.equals("s3") ? List.of("id=3 j") : List.of("id=3 j", "id=4 j"));
        try (RowDigests d = target.digests("limits_" + loader)) {
            d.refresh();
            TableSchema landed = new TableSchema(TableId.of(schema, "big"), big.columns(), big.identity());
            Map<Integer, RowDigests.Digest> buckets = d.buckets(landed, 64);
            assertThat(buckets.values().stream()
                            .mapToLong(RowDigests.Digest::rows)
                            .sum())
                    .isEqualTo(4);
            assertThat(d.rows(landed, 64, buckets.keySet())).hasSize(4);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xa5);
        b[n - 1] = 1;
        return b;
    }

    private static RedshiftTarget target(String schema, String loader) {
        RedshiftTarget.Builder b = RedshiftTarget.builder()
                .schema(schema)
                .stateSchema(schema + "_state")
                .valuePolicy(ValuePolicy.SET_NULL);
        if (loader.equals("s3")) {
            S3Staging.Builder staging = S3Staging.builder().threshold(0);
            if (emulator != null) {
                staging.bucket("limits")
                        .endpoint(s3.endpoint())
                        .credentials(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                        .iamRole("arn:aws:iam::123456789012:role/redshift-load");
            } else {
                staging.bucket(BUCKET).iamRole(System.getProperty("zeroetl.redshift.s3.role"));
            }
            b.s3Staging(staging.build());
        }
        if (emulator != null) {
            return b.jdbcUrl(emulator.jdbcUrl())
                    .user(emulator.user())
                    .password(emulator.password())
                    .ssl(false)
                    .build();
        }
        return b.jdbcUrl(URL)
                .user(System.getProperty("zeroetl.redshift.user"))
                .password(System.getProperty("zeroetl.redshift.password"))
                .build();
    }

    private static Connection connect() throws SQLException {
        if (emulator != null) {
            return emulator.connect();
        }
        Properties p = new Properties();
        p.setProperty("user", System.getProperty("zeroetl.redshift.user"));
        p.setProperty("password", System.getProperty("zeroetl.redshift.password"));
        Connection c = DriverManager.getConnection(URL, p);
        try (Statement s = c.createStatement()) {
            s.execute("SET enable_case_sensitive_identifier TO true");
        }
        return c;
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}

package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.TableValidation;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.S3Staging;
import io.zeroetl.redshift.ValuePolicy;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Values at and over Redshift's documented limits, copied and streamed through both loaders: what a real
 * cluster holds lands whole (a 1 MB and a 3 MB bytea — hex pieces joined by {@code ||} through INSERTs, a COPY
 * row or an INSERT beside the COPY through S3 — and a 270 KB document through COPY), what it refuses goes to
 * the value policy before anything is sent, with its reason recorded (a bytea too large for a 16 MB statement,
 * a SUPER string over 65,535 bytes, a document over a bound VARCHAR's 65,535 bytes through INSERTs), and
 * validation, which digests large values piecewise on both sides, finds the table clean.
 */
class LargeValuesIT {
    private static final String BYTEA_MB = "decode(repeat('00ff17a5c3', %d * 1024 * 1024 / 5), 'hex')";

    @ParameterizedTest(name = "staged through {0}")
    @ValueSource(strings = {"INSERT", "S3"})
    void valuesWithinRedshiftsLimitsLandWholeAndLargerOnesGoToTheValuePolicyWithTheirReason(String staging)
            throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift = RedshiftEmulator.builder().s3(s3).start()) {
            s3.createBucket("large");
            sql(pg, db, "CREATE TABLE big (id int PRIMARY KEY, b bytea, j jsonb, t text)");
            insertRows(pg, db, 0);
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .build();
            RedshiftTarget.Builder target = RedshiftTarget.builder()
                    .jdbcUrl(redshift.jdbcUrl())
                    .user(redshift.user())
                    .password(redshift.password())
                    .ssl(false)
                    .valuePolicy(ValuePolicy.SET_NULL);
            if (staging.equals("S3")) {
                target.s3Staging(S3Staging.builder()
                        .bucket("large")
                        .endpoint(s3.endpoint())
                        .credentials(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                        .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                        .threshold(0)
                        .build());
            }
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(target.build())
                    .tables("public.big")
                    .pipelineId("large")
                    .flushInterval(Duration.ofMillis(100))
                    .start()) {
                assertThat(pipeline.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                insertRows(pg, db, 10);
                // the 3 MB value stays unchanged (TOAST) while its row changes
                sql(pg, db, "UPDATE big SET t = 'changed' WHERE id IN (2, 12)");
                assertThat(pipeline.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
                assertThat(pipeline.status()
                                .table(io.zeroetl.TableId.parse("public.big"))
                                .orElseThrow()
                                .reason())
                        .isNull();
                TableValidation big = pipeline.validate().table("public.big");
                int refused = staging.equals("S3") ? 2 : 3;
                assertThat(big.outcome()).as(big.toString()).isEqualTo(TableValidation.Outcome.CLEAN);
                assertThat(big.converted())
                        .as("rows holding a value the policy stored as NULL, copied and streamed")
                        .isEqualTo(2L * refused);
            }
            try (Connection c = redshift.connect()) {
                assertThat(column(
                                c,
                                "SELECT id || ':' || NVL(CAST(LEN(b) AS VARCHAR), 'null') FROM public.big"
                                        + " WHERE id IN (1, 2, 3, 11, 12, 13) ORDER BY id"))
                        .as("bytea sizes in Redshift")
                        .containsExactly(
                                "1:" + (1 << 20) / 5 * 5,
                                "2:" + (3 << 20) / 5 * 5,
                                "3:null",
                                "11:" + (1 << 20) / 5 * 5,
                                "12:" + (3 << 20) / 5 * 5,
                                "13:null");
                List<String> reasons = column(
                        c,
                        "SELECT row_key || ' ' || column_name || ': ' || reason FROM zeroetl.zeroetl_errors ORDER BY 1");
                assertThat(reasons)
                        .anySatisfy(r -> assertThat(r).startsWith("id=3 b: ").contains("16 MB"))
                        .anySatisfy(r -> assertThat(r).startsWith("id=4 j: ").contains("65,535"));
                if (staging.equals("INSERT")) {
                    assertThat(reasons)
                            .anySatisfy(
                                    r -> assertThat(r).startsWith("id=5 j: ").contains("65,535 bytes a bound VARCHAR"));
                } else {
                    assertThat(reasons).noneSatisfy(r -> assertThat(r).startsWith("id=5 "));
                }
            }
            assertThat(redshift.rejectedStatements()).isEmpty();
        } finally {
            pg.dropDatabase(db);
        }
    }

    /** Rows {@code base}+1 … {@code base}+6: bytea of 1, 3 and 9 MB, a 70 KB SUPER string, a 270 KB document. */
    private static void insertRows(EmbeddedPostgres pg, String db, int base) throws SQLException {
        sql(
                pg,
                db,
                "INSERT INTO big VALUES (" + (base + 1) + ", " + BYTEA_MB.formatted(1) + ", '{\"a\": 1}', 'one'), ("
                        + (base + 2) + ", " + BYTEA_MB.formatted(3) + ", NULL, 'two'), (" + (base + 3) + ", "
                        + BYTEA_MB.formatted(9) + ", NULL, 'three'), (" + (base + 4)
                        + ", NULL, jsonb_build_object('s', repeat('x', 70000)), 'four'), (" + (base + 5)
                        + ", NULL, (SELECT jsonb_agg('v' || g) FROM generate_series(1, 30000) g), 'five'), ("
                        + (base + 6) + ", '\\x00', '[]', 'six')");
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void sql(EmbeddedPostgres pg, String db, String sql) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

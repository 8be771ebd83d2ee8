package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.S3Staging;
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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Values up to Redshift's documented limits replicate through S3 staging, copied and streamed: SUPER documents
 * of 1 MB and 3.5 MB (each string in them within SUPER's 65,535 bytes: limitations-super; each row within
 * COPY's 4 MB: copy-parameters-data-source), which no bound parameter can carry (r_Character_types: 65,535
 * bytes), and VARBYTE values of 1 MB (in the COPY) and 3 MB (its hex over a COPY row: an INSERT beside it).
 */
class S3StagingIT {
    @Test
    void superAndVarbyteValuesUpToRedshiftsLimitsReplicate() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        String db = pg.createDatabase();
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift = RedshiftEmulator.builder().s3(s3).start()) {
            s3.createBucket("big-values");
            sql(
                    pg,
                    db,
                    "CREATE TABLE blobs (id int PRIMARY KEY, doc jsonb, bin bytea)",
                    "INSERT INTO blobs VALUES (1, (SELECT jsonb_agg(repeat('x', 60000) || g) FROM generate_series(1,"
                            + " 16) g), NULL), (2, NULL, decode(repeat('00ff', 500000), 'hex'))");
            S3Staging staging = S3Staging.builder()
                    .bucket("big-values")
                    .endpoint(s3.endpoint())
                    .credentials(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                    .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                    .build();
            RedshiftTarget target = RedshiftTarget.builder()
                    .jdbcUrl(redshift.jdbcUrl())
                    .user(redshift.user())
                    .password(redshift.password())
                    .ssl(false)
                    .s3Staging(staging)
                    .build();
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(target)
                    .tables("public.blobs")
                    .pipelineId("big")
                    .start()) {
                assertThat(pipeline.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                sql(
                        pg,
                        db,
                        "INSERT INTO blobs VALUES (3, (SELECT jsonb_object_agg('k' || g, repeat('y', 60000)) FROM"
                                + " generate_series(1, 58) g), NULL), (4, NULL, decode(repeat('00ff', 1500000), 'hex'))",
                        "UPDATE blobs SET doc = (SELECT jsonb_agg(g) FROM generate_series(1, 100000) g) WHERE id = 2");
                assertThat(pipeline.awaitCaughtUp(Duration.ofMinutes(2))).isTrue();
                assertThat(pipeline.status().tables().values())
                        .allSatisfy(t -> assertThat(t.reason()).isNull());
            }
            String digests = "SELECT id || ':' || coalesce(md5(doc::text), '-') || ':' || coalesce(md5(bin), '-')"
                    + " FROM %s ORDER BY id";
            List<String> expected = query(pg.connect(db), String.format(digests, "blobs"));
            assertThat(expected).hasSize(4);
            assertThat(query(redshift.connectPostgres(), String.format(digests, "public.blobs")))
                    .isEqualTo(expected);
            assertThat(query(redshift.connectPostgres(), "SELECT max(octet_length(doc::text)) FROM public.blobs"))
                    .singleElement()
                    .satisfies(n -> assertThat(Long.parseLong(n)).isGreaterThan(3_400_000L));
            assertThat(s3.keys("big-values", "")).as("staged objects left").isEmpty();
            assertThat(redshift.rejectedStatements()).isEmpty();
        } finally {
            pg.dropDatabase(db);
        }
    }

    private static List<String> query(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connection;
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void sql(EmbeddedPostgres pg, String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }
}

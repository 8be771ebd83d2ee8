package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.S3Staging;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.EmbeddedPostgresExtension;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import io.zeroetl.testing.S3ServerExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class OrdersThroughS3Test {
    @RegisterExtension
    static EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

    /** An S3 server in the test JVM, with the staging bucket created before the tests. */
    @RegisterExtension
    static S3ServerExtension s3 = new S3ServerExtension("staging");

    @Test
    void ordersReachRedshiftThroughS3AndCopy() throws Exception {
        EmbeddedPostgres pg = postgres.server();
        String db = pg.createDatabase();
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (order_id SERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                    + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2))");
            s.execute("INSERT INTO orders (customer_name, total_amount)"
                    + " SELECT 'customer ' || g, g FROM generate_series(1, 5000) g");
        }
        S3Server bucket = s3.server();
        // the emulator's COPY reads the same S3 server; an IAM role is taken to grant access
        try (RedshiftEmulator rs = RedshiftEmulator.builder().s3(bucket).start()) {
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(pg.jdbcUrl(db))
                    .user(pg.user())
                    .password(pg.password())
                    .build();
            RedshiftTarget target = RedshiftTarget.builder()
                    .jdbcUrl(rs.jdbcUrl())
                    .user(rs.user())
                    .password(rs.password())
                    .s3Staging(S3Staging.builder()
                            .bucket("staging")
                            .endpoint(bucket.endpoint())
                            .credentials(StaticCredentialsProvider.create(
                                    AwsBasicCredentials.create(bucket.accessKeyId(), bucket.secretAccessKey())))
                            .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                            .build())
                    .build();

            try (Pipeline pipeline = ZeroEtl.from(source).to(target).tables("public.orders").start()) {
                assertThat(pipeline.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            }

            try (Connection c = rs.connect();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*), sum(total_amount) FROM public.orders")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(5000);
                assertThat(r.getBigDecimal(2)).isEqualByComparingTo("12502500");
            }
            assertThat(rs.statements()).anySatisfy(st -> assertThat(st.sql()).startsWith("COPY"));
            assertThat(bucket.keys("staging", "")).as("staged files are deleted once loaded").isEmpty();
            source.retire("zeroetl");
            source.close();
        }
        pg.dropDatabase(db);
    }
}

package io.zeroetl.bench;

import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.S3Staging;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.FaultProxy;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The servers of one benchmark run: a source PostgreSQL, an S3 server, the Redshift emulator reading it, and
 * plain PostgreSQL targets. The pipeline reaches the emulator and S3 through counting proxies, so the report
 * can say how many bytes each loader sends.
 */
final class Env implements AutoCloseable {
    static final String BUCKET = "bench-staging";
    final EmbeddedPostgres pg;
    final S3Server s3;
    final RedshiftEmulator redshift;
    final FaultProxy toRedshift;
    final FaultProxy toS3;

    Env() {
        this.pg = EmbeddedPostgres.start();
        this.s3 = S3Server.start();
        s3.createBucket(BUCKET);
        this.redshift = RedshiftEmulator.builder().s3(s3).start();
        this.toRedshift = FaultProxy.to(redshift.host(), redshift.port());
        this.toS3 = FaultProxy.to(s3.host(), s3.port());
    }

    String newDatabase() {
        return pg.createDatabase();
    }

    Connection connect(String db) throws SQLException {
        return pg.connect(db);
    }

    void sql(String db, String... statements) throws SQLException {
        try (Connection c = pg.connect(db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    PostgresSource source(String db) {
        return PostgresSource.builder()
                .jdbcUrl(pg.jdbcUrl(db))
                .user(pg.user())
                .password(pg.password())
                .ddlCapture(false)
                .build();
    }

    /** The emulator with the default loader (multi-row INSERTs). */
    RedshiftTarget target() {
        return target(Loader.INSERT, null);
    }

    /** The emulator through the counting proxy, tables in {@code schema} (null: the source's), staged by {@code loader}. */
    RedshiftTarget target(Loader loader, String schema) {
        RedshiftTarget.Builder b = RedshiftTarget.builder()
                .jdbcUrl(toRedshift.jdbcUrl(redshift.jdbcUrl()))
                .user(redshift.user())
                .password(redshift.password())
                .ssl(false);
        if (schema != null) {
            b.schema(schema);
        }
        if (loader != Loader.INSERT) {
            b.s3Staging(S3Staging.builder()
                    .bucket(BUCKET)
                    .endpoint(URI.create("http://" + toS3.host() + ":" + toS3.port()))
                    .credentials(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                    .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                    .threshold(Integer.getInteger("bench.s3Threshold", 1_000))
                    .compression(
                            switch (loader) {
                                case S3_PLAIN -> S3Staging.Compression.NONE;
                                case S3_ZSTD -> S3Staging.Compression.ZSTD;
                                default -> S3Staging.Compression.GZIP;
                            })
                    .build());
        }
        return b.build();
    }

    /** How a run stages its rows. */
    enum Loader {
        INSERT,
        S3,
        /** S3 staging with plain CSV files (compression NONE): measured on its own (bench.only=e2e). */
        S3_PLAIN,
        /** S3 staging with Zstandard files (compression ZSTD). */
        S3_ZSTD
    }

    @Override
    public void close() {
        toRedshift.close();
        toS3.close();
        redshift.close();
        s3.close();
        pg.close();
    }
}

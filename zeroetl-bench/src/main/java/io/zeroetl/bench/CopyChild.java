package io.zeroetl.bench;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.S3Staging;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The pipeline JVM of {@link ResumedCopy}: copies {@code public.orders} through S3 into the emulator under a
 * pipeline id of its own (a copy another JVM of the same id began is resumed), prints {@code COPIED} once the
 * target caught up, and exits. Killed with SIGKILL in between, as a crash would end it.
 */
public final class CopyChild {
    private CopyChild() {}

    /**
     * Arguments: source url, user, password; target url, user, password; S3 endpoint, key, secret; pipeline id;
     * blocks per copy part.
     */
    public static void main(String[] args) throws Exception {
        String id = args[9];
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(args[0])
                .user(args[1])
                .password(args[2])
                .ddlCapture(false)
                .snapshotChunkBlocks(Long.parseLong(args[10]))
                .build();
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(args[3])
                .user(args[4])
                .password(args[5])
                .ssl(false)
                .schema(id)
                .s3Staging(S3Staging.builder()
                        .bucket(Env.BUCKET)
                        .endpoint(URI.create(args[6]))
                        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[7], args[8])))
                        .iamRole("arn:aws:iam::123456789012:role/redshift-load")
                        .threshold(1_000)
                        .build())
                .build();
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.orders")
                .pipelineId(id)
                .start()) {
            if (!pipeline.awaitCaughtUp(Duration.ofHours(2))) {
                throw new IllegalStateException("the copy did not finish: " + pipeline.status());
            }
            System.out.println("COPIED");
        } finally {
            source.close();
        }
    }
}

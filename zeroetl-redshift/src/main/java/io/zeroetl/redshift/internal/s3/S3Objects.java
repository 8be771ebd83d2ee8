package io.zeroetl.redshift.internal.s3;

import io.zeroetl.ErrorCode;
import io.zeroetl.RetriableException;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.redshift.S3Staging;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The staging bucket through the AWS SDK: puts (with the configured server-side encryption), listing and
 * deletion under a prefix. S3's failures are sorted for the engine: throttling, server errors and broken
 * connections are retriable (after the SDK's own retries); a refusal (403, a missing bucket) stops the pipeline
 * with what to fix, as no table is to blame.
 */
final class S3Objects {
    private final S3Staging config;
    private final S3Client client;

    S3Objects(S3Staging config) {
        this.config = config;
        S3ClientBuilder b = S3Client.builder()
                .credentialsProvider(config.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.region() != null) {
            b.region(Region.of(config.region()));
        }
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint())
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            if (config.region() == null) {
                b.region(Region.US_EAST_1);
            }
        }
        try {
            this.client = b.build();
        } catch (SdkClientException e) {
            throw ZeroEtlException.configuration(
                    "s3 region",
                    "could not be found (" + e.getMessage() + "); set"
                            + " S3Staging.builder().region(...) or AWS_REGION");
        }
    }

    String url(String key) {
        return "s3://" + config.bucket() + "/" + key;
    }

    void putFile(String key, Path file) {
        call("uploading " + url(key), () -> client.putObject(put(key), RequestBody.fromFile(file)));
    }

    void putBytes(String key, byte[] bytes) {
        call("uploading " + url(key), () -> client.putObject(put(key), RequestBody.fromBytes(bytes)));
    }

    private PutObjectRequest put(String key) {
        PutObjectRequest.Builder p =
                PutObjectRequest.builder().bucket(config.bucket()).key(key);
        switch (config.encryption()) {
            case SSE_S3 -> p.serverSideEncryption(ServerSideEncryption.AES256);
            case SSE_KMS -> {
                p.serverSideEncryption(ServerSideEncryption.AWS_KMS);
                if (config.kmsKeyId() != null) {
                    p.ssekmsKeyId(config.kmsKeyId());
                }
            }
            default -> {
                // the bucket's default
            }
        }
        return p.build();
    }

    /** Deletes {@code keys} (at most 1,000 a request, as S3 takes). */
    void delete(List<String> keys) {
        for (int from = 0; from < keys.size(); from += 1000) {
            List<ObjectIdentifier> ids = new ArrayList<>();
            for (String key : keys.subList(from, Math.min(keys.size(), from + 1000))) {
                ids.add(ObjectIdentifier.builder().key(key).build());
            }
            call(
                    "deleting staged objects in s3://" + config.bucket(),
                    () -> client.deleteObjects(d -> d.bucket(config.bucket())
                            .delete(Delete.builder().objects(ids).quiet(true).build())));
        }
    }

    /** Deletes every object under {@code prefix}; returns how many. */
    int deleteUnder(String prefix) {
        List<String> keys = new ArrayList<>();
        call("listing s3://" + config.bucket() + "/" + prefix, () -> {
            for (S3Object o : client.listObjectsV2Paginator(ListObjectsV2Request.builder()
                            .bucket(config.bucket())
                            .prefix(prefix)
                            .build())
                    .contents()) {
                keys.add(o.key());
            }
            return null;
        });
        delete(keys);
        return keys.size();
    }

    private static <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (S3Exception e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code)) {
                throw new RetriableException(
                        ErrorCode.CONNECTION, "S3 failed " + what + " (" + status + " " + code + "); retrying", e);
            }
            ErrorCode kind = status == 403 ? ErrorCode.PERMISSION : ErrorCode.CONFIGURATION;
            throw new ZeroEtlException(
                    kind,
                    "S3 refused " + what + " (" + status + " " + code + "). "
                            + (status == 403
                                    ? "Allow s3:PutObject, s3:GetObject, s3:ListBucket and s3:DeleteObject on the staging prefix to the"
                                            + " credentials zeroetl uses."
                                    : "Check the staging bucket and its region."),
                    e);
        } catch (SdkException e) {
            throw new RetriableException(
                    ErrorCode.CONNECTION, "S3 could not be reached " + what + " (" + e.getMessage() + "); retrying", e);
        }
    }
}

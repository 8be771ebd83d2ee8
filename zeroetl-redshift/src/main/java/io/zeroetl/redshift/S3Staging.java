package io.zeroetl.redshift;

import io.zeroetl.Secret;
import io.zeroetl.ZeroEtlException;
import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Where and how {@link StagingLoader#s3(S3Staging)} stages files: the bucket and key prefix (objects go under
 * {@code prefix/pipelineId/}), how zeroetl writes to S3 (credentials and region from the AWS SDK's default
 * chains unless given; server-side encryption), how Redshift reads them (an IAM role attached to the cluster,
 * or temporary credentials: copy-parameters-authorization), and the size from which a load (a batch's staged rows)
 * goes through S3 rather than INSERTs.
 *
 * <pre>{@code
 * S3Staging.builder()
 *         .bucket("my-staging-bucket")                                // in the cluster's region
 *         .iamRole("arn:aws:iam::123456789012:role/redshift-load")   // s3:GetObject, s3:ListBucket
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows no secret.
 */
public final class S3Staging {
    /** Server-side encryption of the staged objects. */
    public enum Encryption {
        /** The bucket's default. */
        NONE,
        /** Keys managed by S3 ({@code AES256}). */
        SSE_S3,
        /** A KMS key ({@code aws:kms}). */
        SSE_KMS
    }

    /** How the staged files are compressed (copy-parameters-file-compression). */
    public enum Compression {
        /**
         * GZIP at its fastest level: about a third of the bytes to S3, for about half of the pipeline's CPU on the
         * load path (docs/benchmarks.md, row 3e). COPY does not split a gzipped file, so a large load is written as
         * a multiple of the cluster's slices in files (c_best-practices-use-multiple-files).
         */
        GZIP,
        /**
         * Plain CSV: no compression work on the pipeline's host, about three times the bytes to S3 (mind a NAT
         * gateway's per-byte charge; an S3 gateway endpoint has none). COPY splits large uncompressed CSV files
         * itself (c_best-practices-use-multiple-files).
         */
        NONE,
        /**
         * Zstandard at level 1 (the default; COPY ... ZSTD, supported from Amazon S3, which is where staged files
         * are): fewer bytes than GZIP for a small part of its CPU (docs/benchmarks.md, row 3e). Like a gzipped file,
         * COPY reads each file on one slice, so a large load is written as a multiple of the slices in files. Where
         * its native code (zstd-jni) does not load on the host, files are gzipped instead and the log says so.
         */
        ZSTD
    }

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");

    private final String bucket;
    private final String prefix;
    private final String region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final String iamRole;
    private final String accessKeyId;
    private final Secret secretAccessKey;
    private final Secret sessionToken;
    private final Encryption encryption;
    private final String kmsKeyId;
    private final int thresholdRows;
    private final long partBytes;
    private final Compression compression;

    private S3Staging(Builder b) {
        this.bucket = b.bucket;
        this.prefix = b.prefix.endsWith("/") || b.prefix.isEmpty() ? b.prefix : b.prefix + "/";
        this.region = b.region;
        this.endpoint = b.endpoint;
        this.credentials = b.credentials != null
                ? b.credentials
                : DefaultCredentialsProvider.builder().build();
        this.iamRole = b.iamRole;
        this.accessKeyId = b.accessKeyId;
        this.secretAccessKey = b.secretAccessKey;
        this.sessionToken = b.sessionToken;
        this.encryption = b.encryption;
        this.kmsKeyId = b.kmsKeyId;
        this.thresholdRows = b.thresholdRows;
        this.partBytes = b.partBytes;
        this.compression = b.compression;
    }

    /**
     * A builder; bucket and one of iamRole or redshiftCredentials are required.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the bucket} */
    public String bucket() {
        return bucket;
    }

    /** {@return the key prefix, ending with {@code /} unless empty} */
    public String prefix() {
        return prefix;
    }

    /** {@return the region, or null for the SDK's default chain} */
    public String region() {
        return region;
    }

    /** {@return the endpoint of an S3-compatible service, or null for Amazon S3} */
    public URI endpoint() {
        return endpoint;
    }

    /** {@return how zeroetl signs its requests to S3} */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** {@return the IAM role Redshift assumes to read the files, or null when it reads with credentials} */
    public String iamRole() {
        return iamRole;
    }

    /** {@return the access key Redshift reads with, or null when it assumes a role} */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** {@return the secret of {@link #accessKeyId()}, or null when Redshift assumes a role} */
    public Secret secretAccessKey() {
        return secretAccessKey;
    }

    /** {@return the session token of temporary credentials, or null} */
    public Secret sessionToken() {
        return sessionToken;
    }

    /** {@return the server-side encryption of the staged objects} */
    public Encryption encryption() {
        return encryption;
    }

    /** {@return the KMS key for {@link Encryption#SSE_KMS}, or null for the bucket's default key} */
    public String kmsKeyId() {
        return kmsKeyId;
    }

    /**
     * {@return the rows below which a load (a batch's staged rows) goes through INSERTs instead (default 1,000: one
     * INSERT statement's worth)}
     */
    public int threshold() {
        return thresholdRows;
    }

    /** {@return the uncompressed size at which a staged file is closed and a new one begun (default 128 MiB)} */
    public long partBytes() {
        return partBytes;
    }

    /** {@return how the staged files are compressed (default ZSTD)} */
    public Compression compression() {
        return compression;
    }

    @Override
    public String toString() {
        return "S3Staging[s3://" + bucket + "/" + prefix
                + (iamRole != null ? ", role " + iamRole : ", access key " + accessKeyId)
                + (endpoint == null ? "" : ", endpoint " + endpoint) + "]";
    }

    /** Configures {@link S3Staging}. Not thread-safe. */
    public static final class Builder {
        private String bucket;
        private String prefix = "zeroetl/";
        private String region;
        private URI endpoint;
        private AwsCredentialsProvider credentials;
        private String iamRole;
        private String accessKeyId;
        private Secret secretAccessKey;
        private Secret sessionToken;
        private Encryption encryption = Encryption.NONE;
        private String kmsKeyId;
        private int thresholdRows = 1_000;
        private long partBytes = 128L << 20;
        private Compression compression = Compression.ZSTD;

        private Builder() {}

        /**
         * The bucket, in the cluster's region (required).
         *
         * @param bucket the bucket's name
         * @return this builder
         */
        public Builder bucket(String bucket) {
            Objects.requireNonNull(bucket, "bucket");
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw ZeroEtlException.configuration(
                        "bucket",
                        "is not an S3 bucket name (3 to 63 lower-case letters," + " digits, dots and hyphens)");
            }
            this.bucket = bucket;
            return this;
        }

        /**
         * The key prefix (default {@code zeroetl/}); objects go under {@code prefix/pipelineId/}.
         *
         * @param prefix the prefix
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * The bucket's region (default: the SDK's region chain); COPY is told it too.
         *
         * @param region the region, e.g. {@code eu-west-1}
         * @return this builder
         */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * An S3-compatible endpoint instead of Amazon S3 (path-style addressing; checksums only where S3
         * requires them, as such services often lag the SDK). Redshift itself only reads Amazon S3.
         *
         * @param endpoint the endpoint, e.g. {@code http://127.0.0.1:9000}
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * How zeroetl signs its requests (default: the SDK's default credentials chain).
         *
         * @param credentials the credentials provider
         * @return this builder
         */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * The IAM role, attached to the cluster, that Redshift assumes to read the files ({@code s3:GetObject},
         * {@code s3:ListBucket}).
         *
         * @param arn the role's ARN
         * @return this builder
         */
        public Builder iamRole(String arn) {
            Objects.requireNonNull(arn, "iamRole");
            if (!ROLE_ARN.matcher(arn).matches()) {
                throw ZeroEtlException.configuration(
                        "iamRole", "is not a role ARN (arn:aws:iam::<account>:role/<name>)");
            }
            this.iamRole = arn;
            return this;
        }

        /**
         * Credentials Redshift reads the files with, instead of a role (a session token for temporary ones, or null).
         *
         * @param accessKeyId the access key id
         * @param secretAccessKey its secret
         * @param sessionToken the session token of temporary credentials, or null
         * @return this builder
         */
        public Builder redshiftCredentials(String accessKeyId, Secret secretAccessKey, Secret sessionToken) {
            this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
            this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            this.sessionToken = sessionToken;
            return this;
        }

        /**
         * Server-side encryption with S3's keys ({@code AES256}).
         *
         * @return this builder
         */
        public Builder sseS3() {
            this.encryption = Encryption.SSE_S3;
            this.kmsKeyId = null;
            return this;
        }

        /**
         * Server-side encryption with a KMS key (null: the bucket's default KMS key); COPY decrypts transparently.
         *
         * @param kmsKeyId the key's id or ARN, or null
         * @return this builder
         */
        public Builder sseKms(String kmsKeyId) {
            this.encryption = Encryption.SSE_KMS;
            this.kmsKeyId = kmsKeyId;
            return this;
        }

        /**
         * Below this many rows, a load (a batch's staged rows) goes through INSERTs (default 1,000, what one multi-row
         * INSERT carries; 0: always S3).
         *
         * @param rows the threshold in rows
         * @return this builder
         */
        public Builder threshold(int rows) {
            if (rows < 0) {
                throw ZeroEtlException.configuration("threshold", "must be 0 or more");
            }
            this.thresholdRows = rows;
            return this;
        }

        /**
         * The uncompressed bytes after which a staged file is closed and uploaded while the next is written
         * (default 128 MiB, a few tens of MB compressed: AWS advises files of 1 MB to 1 GB after compression).
         *
         * @param bytes the size of a file before compression
         * @return this builder
         */
        public Builder partBytes(long bytes) {
            if (bytes < 1 << 20) {
                throw ZeroEtlException.configuration("partBytes", "must be at least 1 MiB");
            }
            this.partBytes = bytes;
            return this;
        }

        /**
         * How the staged files are compressed (default {@link Compression#ZSTD}); {@link Compression#GZIP} spends
         * several times the CPU for about the same bytes, {@link Compression#NONE} none and about three times the
         * bytes to S3.
         *
         * @param compression the compression
         * @return this builder
         */
        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /**
         * Checks the options and builds the configuration.
         *
         * @return the configuration
         */
        public S3Staging build() {
            if (bucket == null) {
                throw ZeroEtlException.configuration("bucket", "is required");
            }
            if (iamRole == null && accessKeyId == null) {
                throw ZeroEtlException.configuration(
                        "iamRole",
                        "or redshiftCredentials is required: how Redshift"
                                + " reads the staged files (copy-parameters-authorization)");
            }
            if (iamRole != null && accessKeyId != null) {
                throw ZeroEtlException.configuration("iamRole", "and redshiftCredentials exclude each other");
            }
            return new S3Staging(this);
        }
    }
}

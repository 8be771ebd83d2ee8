package io.zeroetl.testing;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Amazon S3 for tests: an S3-compatible server inside the test JVM (S3Proxy over an in-memory store) on a
 * free loopback port, with its own access key, reached with the AWS SDK exactly as a bucket in AWS would be
 * (path-style addressing, SigV4). The {@link RedshiftEmulator} reads it for {@code COPY ... FROM 's3://...'}
 * when built with {@link RedshiftEmulator.Builder#s3(S3Server)}.
 *
 * <pre>{@code
 * try (S3Server s3 = S3Server.start()) {
 *     s3.createBucket("staging");
 *     S3Client client = s3.client();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Everything it holds is gone when it closes.
 */
public final class S3Server implements AutoCloseable {
    /** The region the server answers for. */
    public static final String REGION = "us-east-1";

    private final BlobStoreContext store;
    private final S3Proxy proxy;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final URI endpoint;
    private final S3Client client;

    private S3Server() throws Exception {
        this.accessKeyId = "AKIA" + random(16).toUpperCase(Locale.ROOT);
        this.secretAccessKey = random(40);
        // by its metadata rather than its id: the id would make jclouds load every provider S3Proxy registers,
        // including the other clouds' that are left out of this classpath
        this.store = ContextBuilder.newBuilder(new TransientApiMetadata())
                .credentials(accessKeyId, secretAccessKey)
                .build(BlobStoreContext.class);
        this.proxy = S3Proxy.builder()
                .blobStore(store.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
                // current SDKs send flexible-checksum headers this S3Proxy does not know; S3 accepts them
                .ignoreUnknownHeaders(true)
                .build();
        // Jetty's start returns once the server listens (or throws)
        proxy.start();
        if (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            throw new EmbeddedServerException("S3Proxy did not start (state " + proxy.getState() + ")");
        }
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.client = client(endpoint);
    }

    /**
     * Starts a server with a fresh, empty store.
     *
     * @return the running server; close it
     */
    public static S3Server start() {
        try {
            return new S3Server();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedServerException("Interrupted while starting S3Proxy", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new EmbeddedServerException("Could not start S3Proxy: " + e.getMessage(), e);
        }
    }

    /**
     * {@code http://127.0.0.1:PORT}: the endpoint to give an S3 client (with path-style access).
     *
     * @return the endpoint
     */
    public URI endpoint() {
        return endpoint;
    }

    /** {@return the host the server listens on (loopback)} */
    public String host() {
        return endpoint.getHost();
    }

    /** {@return the port the server listens on} */
    public int port() {
        return endpoint.getPort();
    }

    /** {@return the access key id clients sign with} */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** {@return the secret access key clients sign with} */
    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** {@return a client of this server (the caller must not close it; it closes with the server)} */
    public S3Client client() {
        return client;
    }

    /**
     * {@return a new client of the server at {@code endpoint} (e.g. through a {@link FaultProxy}); the caller
     * closes it}
     *
     * @param endpoint where to reach the server
     */
    public S3Client client(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                // this S3Proxy predates the SDK's default CRC32 trailers; checksums only where S3 requires them
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /**
     * Creates {@code bucket} (nothing happens when it exists).
     *
     * @param bucket the bucket's name
     */
    public void createBucket(String bucket) {
        store.getBlobStore().createContainerInLocation(null, bucket);
    }

    /**
     * {@return the keys in {@code bucket} that start with {@code prefix}, in order}
     *
     * @param bucket the bucket's name
     * @param prefix the key prefix ("" for all)
     */
    public List<String> keys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object o : client.listObjectsV2Paginator(ListObjectsV2Request.builder()
                        .bucket(bucket)
                        .prefix(prefix)
                        .build())
                .contents()) {
            keys.add(o.key());
        }
        return keys;
    }

    /** Stops the server and forgets everything it held. */
    @Override
    public void close() {
        client.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new EmbeddedServerException("Could not stop S3Proxy: " + e.getMessage(), e);
        } finally {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "S3Server[" + endpoint + "]";
    }

    private static String random(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}

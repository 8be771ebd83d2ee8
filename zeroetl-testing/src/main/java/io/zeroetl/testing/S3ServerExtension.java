package io.zeroetl.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test class its own {@link S3Server}, started before the class's tests (with
 * the buckets named here created) and closed after them. Inject it as a parameter, or register it in a static
 * field and hand it to the emulator:
 *
 * <pre>{@code
 * @RegisterExtension
 * static S3ServerExtension s3 = new S3ServerExtension("staging");
 *
 * @Test
 * void loads() {
 *     try (RedshiftEmulator redshift = RedshiftEmulator.builder().s3(s3.server()).start()) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe for use by JUnit.
 */
public final class S3ServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final String[] buckets;
    private volatile S3Server server;

    /**
     * A server with {@code buckets} created.
     *
     * @param buckets the buckets' names
     */
    public S3ServerExtension(String... buckets) {
        this.buckets = buckets.clone();
    }

    /**
     * The running server.
     *
     * @return the server
     * @throws IllegalStateException before the class's tests start
     */
    public S3Server server() {
        S3Server current = server;
        if (current == null) {
            throw new IllegalStateException("The S3 server starts before the test class runs; register the extension"
                    + " in a static field with @RegisterExtension to use it from @BeforeAll.");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        S3Server started = S3Server.start();
        for (String bucket : buckets) {
            started.createBucket(bucket);
        }
        server = started;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        S3Server current = server;
        server = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == S3Server.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }
}

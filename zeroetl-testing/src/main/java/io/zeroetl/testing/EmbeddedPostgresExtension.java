package io.zeroetl.testing;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that provides an {@link EmbeddedPostgres} to a test class.
 *
 * <p>With {@code @ExtendWith(EmbeddedPostgresExtension.class)} every test class shares the JVM-wide
 * default server ({@link EmbeddedPostgres#shared()}), injected as a constructor, lifecycle or test method
 * parameter. To choose the configuration, register it in a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static EmbeddedPostgresExtension postgres =
 *         EmbeddedPostgresExtension.dedicated(EmbeddedPostgres.builder().version(15));
 *
 * @Test
 * void works() throws Exception {
 *     try (Connection c = postgres.server().connect()) { ... }
 * }
 * }</pre>
 *
 * <p>When the chosen backend cannot run on this machine (a {@link BackendUnavailableException}, e.g.
 * no Docker engine), the class's tests are skipped with that message instead of failing.
 *
 * <p>Thread-safe for use by JUnit.
 */
public final class EmbeddedPostgresExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final Supplier<EmbeddedPostgres> factory;
    private final boolean owned;
    private volatile EmbeddedPostgres server;

    /** The extension for {@code @ExtendWith}: the JVM-wide default server. */
    public EmbeddedPostgresExtension() {
        this(EmbeddedPostgres::shared, false);
    }

    private EmbeddedPostgresExtension(Supplier<EmbeddedPostgres> factory, boolean owned) {
        this.factory = factory;
        this.owned = owned;
    }

    /**
     * {@return an extension whose server, as {@code builder} configures it, is shared by classes asking for it}
     *
     * @param builder the server's configuration
     */
    public static EmbeddedPostgresExtension shared(EmbeddedPostgres.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        return new EmbeddedPostgresExtension(builder::shared, false);
    }

    /**
     * {@return an extension whose server, as {@code builder} configures it, serves this class alone}
     *
     * @param builder the server's configuration
     */
    public static EmbeddedPostgresExtension dedicated(EmbeddedPostgres.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        return new EmbeddedPostgresExtension(builder::start, true);
    }

    /**
     * The server; available from {@code @BeforeAll} on.
     *
     * @return the server
     * @throws IllegalStateException before the extension has started it
     */
    public EmbeddedPostgres server() {
        EmbeddedPostgres current = server;
        if (current == null) {
            throw new IllegalStateException("The server starts before the test class runs; register the extension"
                    + " in a static field with @RegisterExtension to use it from @BeforeAll.");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            server = factory.get();
        } catch (BackendUnavailableException e) {
            Assumptions.abort(e.getMessage());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedPostgres current = server;
        server = null;
        if (owned && current != null) {
            current.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedPostgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }
}

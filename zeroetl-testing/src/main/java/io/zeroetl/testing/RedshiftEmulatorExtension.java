package io.zeroetl.testing;

import java.util.Objects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test class its own {@link RedshiftEmulator} (a fresh backing database,
 * on the JVM's shared {@link EmbeddedPostgres} unless the builder says otherwise), started before the
 * class's tests and closed after them. Inject it as a parameter, or register it in a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static RedshiftEmulatorExtension redshift = new RedshiftEmulatorExtension();
 *
 * @Test
 * void loads() throws Exception {
 *     try (Connection c = redshift.emulator().connect()) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe for use by JUnit.
 */
public final class RedshiftEmulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final RedshiftEmulator.Builder builder;
    private volatile RedshiftEmulator emulator;

    /** An emulator with the default configuration. */
    public RedshiftEmulatorExtension() {
        this(RedshiftEmulator.builder());
    }

    /**
     * An emulator configured by {@code builder}.
     *
     * @param builder the emulator's configuration
     */
    public RedshiftEmulatorExtension(RedshiftEmulator.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /**
     * The running emulator.
     *
     * @return the emulator
     * @throws IllegalStateException before the class's tests start
     */
    public RedshiftEmulator emulator() {
        RedshiftEmulator current = emulator;
        if (current == null) {
            throw new IllegalStateException("The emulator starts before the test class runs; register the extension"
                    + " in a static field with @RegisterExtension to use it from @BeforeAll.");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            emulator = builder.start();
        } catch (BackendUnavailableException e) {
            Assumptions.abort(e.getMessage());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedshiftEmulator current = emulator;
        emulator = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedshiftEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return emulator();
    }
}

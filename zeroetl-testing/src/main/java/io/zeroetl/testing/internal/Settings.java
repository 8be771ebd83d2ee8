package io.zeroetl.testing.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads a fixture setting from a JVM system property, falling back to an environment variable. The
 * variable name is the property name upper-cased with dots turned into underscores, so
 * {@code zeroetl.postgres.version} is also {@code ZEROETL_POSTGRES_VERSION}.
 */
public final class Settings {
    private Settings() {}

    /** The value of {@code property} (or its environment variable), if set and not blank. */
    public static Optional<String> get(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentName(property));
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The environment variable that stands for {@code property}. */
    public static String environmentName(String property) {
        return property.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** How to name the setting in a message: both spellings. */
    public static String describe(String property) {
        return "-D" + property + " (or " + environmentName(property) + ")";
    }
}

package io.zeroetl.testing;

import java.util.Locale;

/**
 * Where an {@link EmbeddedPostgres} server comes from.
 *
 * <p>Chosen with {@link EmbeddedPostgres.Builder#backend(PostgresBackend)}, or for a whole test run
 * with {@code -Dzeroetl.postgres.backend=maven|local|external|docker} (or the environment variable
 * {@code ZEROETL_POSTGRES_BACKEND}).
 */
public enum PostgresBackend {
    /**
     * The default: PostgreSQL binaries from Maven Central ({@code io.zonky.test.postgres} artifacts),
     * extracted once into a cache directory and run in a temporary data directory.
     */
    MAVEN("maven"),
    /** Binaries installed on this machine: {@code zeroetl.postgres.bindir}, {@code pg_config}, or PATH. */
    LOCAL("local"),
    /** An already running server given by {@code zeroetl.postgres.url}, user and password. */
    EXTERNAL("external"),
    /** A container started through Testcontainers; needs a Docker engine and Testcontainers. */
    DOCKER("docker");

    private final String key;

    PostgresBackend(String key) {
        this.key = key;
    }

    /** {@return the name used in the {@code zeroetl.postgres.backend} setting} */
    public String key() {
        return key;
    }

    /**
     * The backend named {@code key} (case-insensitive).
     *
     * @param key {@code maven}, {@code local}, {@code docker} or {@code external}
     * @return the backend
     * @throws IllegalArgumentException naming the accepted values when {@code key} is none of them
     */
    public static PostgresBackend fromKey(String key) {
        for (PostgresBackend backend : values()) {
            if (backend.key.equals(key.trim().toLowerCase(Locale.ROOT))) {
                return backend;
            }
        }
        throw new IllegalArgumentException(
                "zeroetl.postgres.backend: unknown backend '" + key + "'; use one of maven, local, external, docker");
    }
}

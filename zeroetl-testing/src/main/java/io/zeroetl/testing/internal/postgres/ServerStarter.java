package io.zeroetl.testing.internal.postgres;

import io.zeroetl.testing.BackendUnavailableException;
import io.zeroetl.testing.EmbeddedServerException;
import io.zeroetl.testing.PostgresBackend;
import io.zeroetl.testing.internal.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Starts a PostgreSQL server from the backend an {@code EmbeddedPostgres} builder chose. */
public final class ServerStarter {
    private ServerStarter() {}

    /**
     * Starts a server.
     *
     * @param backend where the server comes from
     * @param requested the major version asked for, if any
     * @param major the major version to start (the one asked for, or the default)
     * @param dockerHost the Docker engine for {@link PostgresBackend#DOCKER}, or null for the usual ones
     * @param settings the server settings
     * @return the running server
     */
    public static RunningServer start(
            PostgresBackend backend,
            Optional<Integer> requested,
            int major,
            String dockerHost,
            Map<String, String> settings) {
        switch (backend) {
            case MAVEN:
                return PostgresProcess.start(BinaryDistribution.binDirectory(major), settings);
            case LOCAL:
                Path bin = LocalBinaries.binDirectory(requested);
                int installed = PostgresProcess.majorVersion(bin);
                if (requested.isPresent() && installed != major) {
                    throw new EmbeddedServerException("The local PostgreSQL binaries in " + bin + " are version "
                            + installed + ", but version " + major + " was asked for. Install PostgreSQL " + major
                            + ", point " + Settings.describe(LocalBinaries.BIN_DIR) + " at it, or ask for "
                            + installed + ".");
                }
                return PostgresProcess.start(bin, settings);
            case EXTERNAL:
                return ExternalServer.fromSettings();
            case DOCKER:
                return docker(major, dockerHost, settings);
            default:
                throw new IllegalStateException("unknown backend " + backend);
        }
    }

    private static RunningServer docker(int major, String dockerHost, Map<String, String> settings) {
        Optional<String> why = DockerProbe.whyUnavailable(Optional.ofNullable(dockerHost));
        if (why.isPresent()) {
            throw new BackendUnavailableException("The docker PostgreSQL backend was chosen, but " + why.get()
                    + ". Start a Docker engine or set DOCKER_HOST, or use the default backend"
                    + " (-Dzeroetl.postgres.backend=maven), which needs no Docker.");
        }
        try {
            Class.forName(
                    "org.testcontainers.containers.GenericContainer", false, ServerStarter.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new BackendUnavailableException("The docker PostgreSQL backend needs Testcontainers: add the test"
                    + " dependency org.testcontainers:testcontainers.");
        }
        return DockerServer.start(major, settings);
    }
}

package io.zeroetl.testing.internal.postgres;

import io.zeroetl.testing.EmbeddedServerException;
import io.zeroetl.testing.internal.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A PostgreSQL container started through Testcontainers. This class is the only one that refers to
 * Testcontainers, so the optional dependency is needed only when this backend is chosen.
 */
public final class DockerServer implements RunningServer {
    public static final String IMAGE = "zeroetl.postgres.image";
    private static final String USER = "postgres";
    private static final String PASSWORD = "zeroetl";

    private final GenericContainer<?> container;

    private DockerServer(GenericContainer<?> container) {
        this.container = container;
    }

    /** Starts {@code postgres:<major>} (or {@code zeroetl.postgres.image}) with {@code settings}. */
    public static DockerServer start(int major, Map<String, String> settings) {
        String image = Settings.get(IMAGE).orElse("postgres:" + major);
        List<String> command = new ArrayList<>(List.of("postgres"));
        settings.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
        GenericContainer<?> container = new GenericContainer<>(image)
                .withEnv("POSTGRES_PASSWORD", PASSWORD)
                .withExposedPorts(5432)
                .withCommand(command.toArray(String[]::new))
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 2));
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw new EmbeddedServerException(
                    "Could not start the PostgreSQL container " + image + ": " + e.getMessage(), e);
        }
        return new DockerServer(container);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(5432);
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public void restart() {
        throw new EmbeddedServerException("Restarting the Docker backend's server is not supported (its port would"
                + " change); use the maven or local backend for restart tests.");
    }

    @Override
    public void close() {
        container.close();
    }

    @Override
    public String toString() {
        return "DockerServer[" + container.getDockerImageName() + "]";
    }
}

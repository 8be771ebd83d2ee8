package io.zeroetl.testing.internal.postgres;

import java.nio.file.Path;
import java.util.Optional;

/** A PostgreSQL server that {@link io.zeroetl.testing.EmbeddedPostgres} hands out, whatever its backend. */
public interface RunningServer extends AutoCloseable {
    /** Host name or address clients connect to. */
    String host();

    /** TCP port clients connect to. */
    int port();

    /** A superuser (or, for an external server, the configured user). */
    String user();

    /** That user's password. */
    String password();

    /** The directory holding the server's data and log, when it runs on this machine. */
    default Optional<Path> workDirectory() {
        return Optional.empty();
    }

    /** Stops the server and waits until it accepts connections again on the same port. */
    void restart();

    /** Stops the server and removes what was created for it. Idempotent. */
    @Override
    void close();
}

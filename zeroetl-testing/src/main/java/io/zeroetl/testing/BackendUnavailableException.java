package io.zeroetl.testing;

/**
 * The chosen backend cannot run on this machine, for example the {@link PostgresBackend#DOCKER}
 * backend when no Docker engine answers. {@link EmbeddedPostgresExtension} turns it into a skipped
 * test (with this message) rather than a failure, since it says something about the machine, not
 * about the code under test.
 */
public class BackendUnavailableException extends EmbeddedServerException {
    private static final long serialVersionUID = 1L;

    /**
     * The backend is unavailable for the reason in {@code message}.
     *
     * @param message why, and what would make it available
     */
    public BackendUnavailableException(String message) {
        super(message);
    }
}

package io.zeroetl.testing;

/**
 * A test server could not be provided. The message says what went wrong and what to change: a
 * missing binary, a setting, a server that did not start (with the tail of its log).
 *
 * <p>Unchecked, so fixtures can be created in field initialisers and static blocks.
 */
public class EmbeddedServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure described by {@code message}.
     *
     * @param message what failed
     */
    public EmbeddedServerException(String message) {
        super(message);
    }

    /**
     * A failure described by {@code message}, caused by {@code cause}.
     *
     * @param message what failed
     * @param cause the underlying failure
     */
    public EmbeddedServerException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.zeroetl;

/**
 * A transient failure — connection loss, timeout, a serialization conflict — that the engine retries
 * with exponential backoff. Nothing is lost or applied twice by a retry: the batch is applied again
 * from the last committed position.
 */
public class RetriableException extends ZeroEtlException {
    private static final long serialVersionUID = 1L;

    /**
     * A transient failure of kind {@code code} (which must be a retriable one).
     *
     * @param code the kind of failure, a retriable one
     * @param message what failed (no secrets)
     * @param cause the underlying failure (redacted of secrets)
     * @throws IllegalArgumentException when {@code code} is not retriable
     */
    public RetriableException(ErrorCode code, String message, Throwable cause) {
        super(requireRetriable(code), message, cause);
    }

    /**
     * A transient failure of kind {@code code} (which must be a retriable one).
     *
     * @param code the kind of failure, a retriable one
     * @param message what failed (no secrets)
     */
    public RetriableException(ErrorCode code, String message) {
        super(requireRetriable(code), message);
    }

    private static ErrorCode requireRetriable(ErrorCode code) {
        if (!code.retriable()) {
            throw new IllegalArgumentException(code + " is not a retriable error code");
        }
        return code;
    }
}

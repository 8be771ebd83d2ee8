package io.zeroetl;

import java.util.Objects;

/**
 * The one unchecked exception zeroetl throws, with an {@link ErrorCode} saying what kind of failure it
 * is. Messages say what to do next. They never contain a {@link Secret}: the message is redacted when
 * the exception is made, and so is the message chain of the cause (copied into {@link RedactedCause}s).
 *
 * <p>Transient failures are thrown as the subtype {@link RetriableException}.
 */
public class ZeroEtlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    private final ErrorCode code;

    /**
     * A failure of kind {@code code} described by {@code message}.
     *
     * @param code the kind of failure
     * @param message what failed and what to do next (no secrets)
     */
    public ZeroEtlException(ErrorCode code, String message) {
        super(Secret.redact(message));
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * A failure of kind {@code code} described by {@code message}, caused by {@code cause}.
     *
     * @param code the kind of failure
     * @param message what failed and what to do next (no secrets)
     * @param cause the underlying failure (redacted of secrets)
     */
    public ZeroEtlException(ErrorCode code, String message, Throwable cause) {
        super(Secret.redact(message), RedactedCause.of(cause));
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * {@return a configuration error: the message starts with the option's name, then the problem}
     *
     * @param option the option's name
     * @param problem what is wrong with its value, and the fix
     */
    public static ZeroEtlException configuration(String option, String problem) {
        return new ZeroEtlException(ErrorCode.CONFIGURATION, option + ": " + problem);
    }

    /** {@return what kind of failure this is} */
    public ErrorCode code() {
        return code;
    }

    /** {@return whether the engine retries this failure} */
    public boolean isRetriable() {
        return code.retriable();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + "]: " + getMessage();
    }
}

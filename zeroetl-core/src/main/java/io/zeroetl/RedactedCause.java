package io.zeroetl;

/**
 * Stands in for a cause whose message might contain a {@link Secret}: same class name in the message,
 * same stack trace, redacted message, and a redacted cause chain.
 */
public final class RedactedCause extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The class name of the exception this one stands for. */
    private final String originalClass;

    private RedactedCause(Throwable original) {
        super(Secret.redact(original.getMessage()), of(original.getCause()));
        this.originalClass = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    /**
     * {@code cause} itself when it is a {@link ZeroEtlException} or a redacted copy already (their
     * messages are clean), null for null, otherwise a redacted copy.
     *
     * @param cause the cause to keep, or null
     * @return a cause safe to attach to an exception that reaches logs
     */
    public static Throwable of(Throwable cause) {
        if (cause == null || cause instanceof ZeroEtlException || cause instanceof RedactedCause) {
            return cause;
        }
        return new RedactedCause(cause);
    }

    /** {@return the class name of the exception this copy stands for} */
    public String originalClass() {
        return originalClass;
    }

    @Override
    public String toString() {
        String message = getMessage();
        return message == null ? originalClass : originalClass + ": " + message;
    }
}

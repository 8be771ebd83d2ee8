package io.zeroetl;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A credential: a password or key. Its {@link #toString()} is a mask, and every secret ever made in this
 * JVM is removed by {@link #redact(String)} from messages zeroetl shows — exception messages, status,
 * log lines — even when a driver echoes it back.
 *
 * <pre>{@code
 * Secret pw = Secret.of(System.getenv("PGPASSWORD"));
 * pw.toString();     // "******"
 * pw.reveal();       // the password, for the driver only
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Secret {
    private static final String MASK = "******";
    /** Shorter values would mask ordinary words; they are still never printed by toString(). */
    private static final int MIN_REDACTED_LENGTH = 4;

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * A secret holding {@code value}.
     *
     * @param value the secret text
     * @return the secret
     * @throws NullPointerException when {@code value} is null
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret value");
        if (value.length() >= MIN_REDACTED_LENGTH) {
            KNOWN.add(value);
        }
        return new Secret(value);
    }

    /** {@return the secret itself: pass it to a driver, never to a log or message} */
    public String reveal() {
        return value;
    }

    /** {@return whether the secret is the empty string} */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /**
     * {@code text} with every known secret replaced by a mask; null stays null.
     *
     * @param text any text, e.g. a driver's error message
     * @return the text, masked
     */
    public static String redact(String text) {
        if (text == null || KNOWN.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : KNOWN) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Always the mask, never the secret. */
    @Override
    public String toString() {
        return MASK;
    }
}

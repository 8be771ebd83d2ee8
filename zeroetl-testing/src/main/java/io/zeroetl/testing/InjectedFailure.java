package io.zeroetl.testing;

import java.util.Objects;

/**
 * Thrown by a {@link RedshiftEmulator.Builder#beforeStatement} hook to make the emulator fail that one
 * statement with {@code sqlState} and {@code message}, as a cluster would: the client gets an ordinary error
 * (an open transaction is aborted) and its connection stays usable. Any other exception from the hook cuts the
 * connection instead.
 *
 * <pre>{@code
 * RedshiftEmulator.builder().beforeStatement(sql -> {
 *     if (sql.startsWith("INSERT INTO \"public\".\"orders\"")) {
 *         throw new InjectedFailure("22001", "value too long (injected)");
 *     }
 * }).start();
 * }</pre>
 */
public final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The SQLSTATE the statement fails with. */
    private final String sqlState;

    /**
     * The statement fails with {@code sqlState} (five characters) and {@code message}.
     *
     * @param sqlState the SQLSTATE to report
     * @param message the error's message
     */
    public InjectedFailure(String sqlState, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        if (sqlState == null || sqlState.length() != 5) {
            throw new IllegalArgumentException("an SQLSTATE has five characters: " + sqlState);
        }
        this.sqlState = sqlState;
    }

    /** {@return the SQLSTATE the statement fails with} */
    public String sqlState() {
        return sqlState;
    }
}

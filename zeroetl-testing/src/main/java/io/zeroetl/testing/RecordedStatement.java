package io.zeroetl.testing;

import java.time.Instant;
import java.util.Optional;

/**
 * A statement a client sent to the {@link RedshiftEmulator}, as it was received, and what the emulator
 * did with it.
 *
 * @param sql the statement as the client sent it
 * @param sentToPostgres what the emulator ran on its PostgreSQL instead; null when it rejected the statement
 * @param sqlState the SQLSTATE of the rejection, or null
 * @param rejection why the emulator rejected it (as Redshift would), or null
 * @param at when it arrived
 */
public record RecordedStatement(String sql, String sentToPostgres, String sqlState, String rejection, Instant at) {
    /** {@return whether the emulator rejected the statement} */
    public boolean rejected() {
        return rejection != null;
    }

    /** {@return the rejection message, when rejected} */
    public Optional<String> rejectionReason() {
        return Optional.ofNullable(rejection);
    }
}

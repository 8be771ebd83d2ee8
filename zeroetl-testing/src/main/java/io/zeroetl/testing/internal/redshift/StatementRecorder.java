package io.zeroetl.testing.internal.redshift;

/** Told of every statement a client sent, and what the emulator made of it. */
@FunctionalInterface
public interface StatementRecorder {
    /**
     * @param sql the statement as received
     * @param sent what was sent to PostgreSQL instead (null when it was rejected)
     * @param sqlState the rejection's SQLSTATE, or null
     * @param rejection the rejection's message, or null
     */
    void record(String sql, String sent, String sqlState, String rejection);
}

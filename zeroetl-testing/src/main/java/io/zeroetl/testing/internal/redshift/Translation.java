package io.zeroetl.testing.internal.redshift;

/**
 * What the translator made of one statement: the PostgreSQL text to run, or a rejection (SQLSTATE and
 * message), and what the session must do around it.
 *
 * @param sql the statement to send to PostgreSQL, or null when rejected
 * @param sqlState the rejection's SQLSTATE, or null
 * @param rejection the rejection's message, or null
 * @param commitFirst whether the open transaction must be committed first (Redshift's TRUNCATE)
 * @param caseSensitive the new value of enable_case_sensitive_identifier, or null when unchanged
 */
record Translation(String sql, String sqlState, String rejection, boolean commitFirst, Boolean caseSensitive) {
    static Translation of(String sql) {
        return new Translation(sql, null, null, false, null);
    }

    static Translation rejected(Rejected r) {
        return new Translation(null, r.sqlState, r.getMessage(), false, null);
    }

    boolean isRejected() {
        return rejection != null;
    }
}

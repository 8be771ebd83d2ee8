package io.zeroetl;

/**
 * What kind of failure a {@link ZeroEtlException} reports, and so what the host (or the engine) can do
 * about it.
 */
public enum ErrorCode {
    /** An option is missing, out of range, or contradicts another; fix the named option. */
    CONFIGURATION(false),
    /** The server refused the credentials; fix user or password. */
    AUTHENTICATION(false),
    /** The user lacks a privilege; grant the one named. */
    PERMISSION(false),
    /** The source server is not set up for replication (wal_level, slots, version); change the setting named. */
    SOURCE_PREREQUISITE(false),
    /** A connection was lost or could not be opened; retried with backoff. */
    CONNECTION(true),
    /** An operation timed out; retried with backoff. */
    TIMEOUT(true),
    /** The target aborted a transaction on a concurrent-write conflict (Redshift error 1023); retried. */
    SERIALIZATION_CONFLICT(true),
    /** The target is temporarily out of a resource (connections, memory, disk); retried. */
    RESOURCE_BUSY(true),
    /** A failure confined to one table: that table stops, the others continue. */
    TABLE_FAILED(false),
    /** A statement was rejected as invalid; a bug in zeroetl or in a plugged-in part. */
    SQL_REJECTED(false),
    /**
     * Another instance of the pipeline took it over (it claimed the target after this one lost its lease on
     * the source): this instance's batch was refused and it stands by. Handled by the engine, never thrown to
     * the host.
     */
    FENCED(false),
    /** Retries of a transient failure ran out; the cause says which. */
    RETRIES_EXHAUSTED(false),
    /** The pipeline was used in a way its lifecycle does not allow (e.g. started twice). */
    ILLEGAL_STATE(false),
    /** An unexpected error; the cause has the details. */
    INTERNAL(false);

    private final boolean retriable;

    ErrorCode(boolean retriable) {
        this.retriable = retriable;
    }

    /** {@return whether failures of this kind are transient and retried by the engine} */
    public boolean retriable() {
        return retriable;
    }
}

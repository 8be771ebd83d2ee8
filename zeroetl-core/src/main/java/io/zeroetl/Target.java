package io.zeroetl;

import io.zeroetl.spi.ChangeApplier;

/**
 * Where changes go: a {@link ChangeApplier}. {@code io.zeroetl.redshift.RedshiftTarget} is the Redshift
 * one.
 *
 * <p>Implementations are immutable and thread-safe, and their {@code toString()} shows no credentials.
 */
public interface Target {
    /** The applier for one pipeline; each call may return a new one. */
    ChangeApplier applier();
}

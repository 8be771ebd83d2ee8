package io.zeroetl;

import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.spi.TargetDigests;

/**
 * Where changes go: a {@link ChangeApplier}. {@code io.zeroetl.redshift.RedshiftTarget} is the Redshift
 * one.
 *
 * <p>Implementations are immutable and thread-safe, and their {@code toString()} shows no credentials.
 */
public interface Target {
    /** {@return the applier for one pipeline; each call may return a new one} */
    ChangeApplier applier();

    /**
     * {@return the name this target knows {@code name} by: two table or column names that fold alike are one
     * name there, so the engine refuses rules that would make two columns of a table fold alike}
     * The default keeps names as they are: a target whose names are case-sensitive (Redshift as zeroetl's
     * sessions use it, with {@code enable_case_sensitive_identifier} on, as AWS zero-ETL requires). A target
     * that folds case returns the folded name.
     *
     * @param name a table or column name as zeroetl would create it
     */
    default String foldName(String name) {
        return name;
    }

    /**
     * A new connection for validating pipeline {@code pipelineId}'s tables (see
     * {@link ZeroEtl#validate(Source, Target)}); the caller closes it.
     *
     * @param pipelineId the pipeline whose tables are compared (its position is waited for)
     * @return a new target-side connection for the comparison
     * @throws ZeroEtlException when this target cannot be validated
     */
    default TargetDigests digests(String pipelineId) {
        throw new ZeroEtlException(ErrorCode.CONFIGURATION, getClass().getName() + " cannot be validated");
    }
}

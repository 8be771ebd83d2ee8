package io.zeroetl.spi;

import io.zeroetl.ErrorCode;
import io.zeroetl.ZeroEtlException;

/**
 * A value the target cannot hold (NaN, infinity, a string over the size limit, ...). The applier
 * handles it by the table's value policy: fail the table, store NULL, or truncate, and records it.
 */
public class UnstorableValueException extends ZeroEtlException {
    private static final long serialVersionUID = 1L;

    /**
     * The value cannot be stored, for {@code reason}.
     *
     * @param reason why, for the table's failure reason
     */
    public UnstorableValueException(String reason) {
        super(ErrorCode.TABLE_FAILED, reason);
    }
}

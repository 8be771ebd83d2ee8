package io.zeroetl.redshift;

/**
 * What happens to a value Redshift cannot hold (NaN, an infinity, a numeric over 38 digits, a string
 * over the column's byte limit, a NUL character, a date out of range...). Except for {@link #FAIL_TABLE},
 * every conversion is recorded in {@code zeroetl_errors} (table, key, column, original value cut to
 * 1,000 characters, reason, LSN) in the same transaction as the batch: data is never changed silently.
 */
public enum ValuePolicy {
    /** The default: the table goes FAILED with the reason; the other tables continue. */
    FAIL_TABLE,
    /** Store NULL instead. */
    SET_NULL,
    /** Cut text and binary values to the column's byte limit (at a character boundary); NULL for the rest. */
    TRUNCATE
}

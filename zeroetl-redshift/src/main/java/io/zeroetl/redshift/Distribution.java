package io.zeroetl.redshift;

/**
 * How a created table is distributed across the cluster's slices ({@code DISTSTYLE}). With KEY (the
 * default for tables with a key) the first key column is the DISTKEY and the key the compound SORTKEY.
 */
public enum Distribution {
    /** Redshift chooses. */
    AUTO,
    /** Round robin. */
    EVEN,
    /** By the first key column (falls back to AUTO for tables without a key). */
    KEY,
    /** A copy on every node: for small dimension tables. */
    ALL
}

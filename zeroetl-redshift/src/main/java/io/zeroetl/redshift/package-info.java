/**
 * The Amazon Redshift target: {@link io.zeroetl.redshift.RedshiftTarget} applies batches through
 * staging tables, with the position in the same transaction, and {@link
 * io.zeroetl.redshift.RedshiftTypeMapper} maps source types to Redshift's.
 */
package io.zeroetl.redshift;

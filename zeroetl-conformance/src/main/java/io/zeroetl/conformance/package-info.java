/**
 * The conformance kit of zeroetl's SPI: {@link io.zeroetl.conformance.ChangeApplierContract} holds the tests
 * every {@link io.zeroetl.spi.ChangeApplier} must pass — a batch takes effect with its position or not at all,
 * a new applier resumes where the last committed batch ended, updates and deletes by key, unchanged (TOAST)
 * values kept, key moves, TRUNCATE, columns added at the source, a failure confined to its table, and (in
 * {@link io.zeroetl.conformance.SchemaAndRolesContract}) renamed and re-added columns, copies, tables without a
 * key, and the column roles of soft deletes and history mode. A target
 * extends it in its own tests, says how to make an applier and how to read a table back, and runs.
 * {@link io.zeroetl.conformance.TypeMapperContract} does the same for a {@link io.zeroetl.spi.TypeMapper}: every
 * value type mapped, NULL kept, each value converted or refused (never altered into another's value), an
 * unreadable value refused.
 */
package io.zeroetl.conformance;

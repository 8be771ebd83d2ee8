/**
 * The Redshift target's internals. No compatibility guarantees. The applier's parts, each with one job:
 *
 * <pre>
 *  RedshiftApplier   one batch = one transaction; a table's failure fails that table only
 *    TargetSession   the connection and its transaction (case kept, retries classified by RedshiftErrors)
 *    StateTables     zeroetl_state (position), zeroetl_table_state, zeroetl_errors, zeroetl_layouts, zeroetl_turns
 *    Claims          zeroetl_claims: the epoch that fences an instance another one took over from
 *    BatchWork       one batch's unit of work: its transaction, staged rows, direct loads, set-aside values, layouts
 *    SchemaFollower  creates tables, follows added/dropped/renamed/retyped columns (Layout, Conversions)
 *    RowStager       row changes to staged versions (StagedOp) with values rendered by the TypeMapper,
 *                    values the target cannot hold to the value policy (ValueFailures)
 *    Staging         one table's part of a batch (StageTable): in the session's SharedStage, loaded with every
 *                    table's rows by one SharedLoad, or in a staging table of its own; loaded by a StagingLoader
 *                    (InsertLoader, or S3 + COPY), unchanged TOAST values filled (UnchangedFill)
 *    MergeStrategy   KeyedMerge / HistoryMerge / MultisetMerge: each owns its merge and its TRUNCATE SQL
 *    DirectLoads     a copy into a table created empty in the batch, loaded without staging
 * </pre>
 */
package io.zeroetl.redshift.internal;

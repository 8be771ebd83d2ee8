package io.zeroetl.redshift.internal;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TableEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.redshift.DroppedTables;
import io.zeroetl.redshift.StagingLoader;
import io.zeroetl.redshift.internal.s3.CopyFailedException;
import io.zeroetl.redshift.internal.s3.S3StagingLoader;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.Batch;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.spi.UnstorableValueException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies batches to Redshift. Per batch, in one transaction: each table's row changes go into a staging
 * table, schema changes and truncates are applied in stream order (staged rows are merged first), each table
 * is merged by its {@link MergeStrategy}, and the batch's end position is written to {@code zeroetl_state}.
 * So the target shows whole batches, and the position in it says exactly which.
 *
 * <p>The rule that a failure confined to one table fails that table only is kept here, in one place: any
 * error while handling one table's event or merge — whatever the statement (DDL, staging, merge, truncate)
 * and whatever the SQLSTATE, or a failing type mapping — rolls the batch back and fails that table with the
 * reason, unless it is transient (connection, timeout, serialization conflict, resources), which retries the
 * batch. Only errors outside any table's work (the position, the state tables) concern the whole pipeline.
 */
public final class RedshiftApplier implements ChangeApplier {
    private static final Logger LOG = LoggerFactory.getLogger(RedshiftApplier.class);
    private final ApplierSettings settings;
    private final TargetSession session;
    private final StateTables state;
    private final SchemaFollower schema;
    private final IdentifierCase identifiers;
    private String pipelineId;
    private ApplierContext context = new ApplierContext("", Set.of());
    /** This instance's epoch, claimed at start: every commit checks it is still the pipeline's. */
    private long epoch;
    /** Whether batches take turns with other pipelines' (the target is not known to run SNAPSHOT isolation). */
    private boolean takeTurns = true;

    private StagingLoader loader;
    /** The session's shared staging table (SharedStage). */
    private final SharedStage stage = new SharedStage("zeroetl_stage_0");
    /** Whether a batch stages in the shared table or table by table. */
    private final StagingChoice staging = new StagingChoice();

    /**
     * @param jdbcUrl the cluster's JDBC URL
     * @param properties driver properties (user, password, ssl ...)
     * @param settings how to apply
     */
    public RedshiftApplier(String jdbcUrl, Properties properties, ApplierSettings settings) {
        this.settings = settings;
        this.session = new TargetSession(jdbcUrl, properties);
        this.state = new StateTables(settings.stateSchema());
        this.identifiers = new IdentifierCase(settings.requireCaseSensitiveIdentifiers());
        this.schema = new SchemaFollower(settings, state, identifiers);
    }

    @Override
    public Optional<Lsn> start(ApplierContext context) {
        this.pipelineId = context.pipelineId();
        this.context = context;
        TargetSetup.checkCollisions(settings, context);
        if (loader != null) {
            loader.close();
        }
        this.loader = settings.loader().start(pipelineId);
        try {
            Connection c = session.connection();
            TargetSetup.createStateTables(state, session, c);
            identifiers.read(c);
            takeTurns = !TargetSetup.snapshotIsolation(c);
            if (loader instanceof S3StagingLoader s3) {
                s3.slices(TargetSetup.slices(c));
            }
            state.claims().upgrade(c, settings.stateSchema());
            // the instance that held the pipeline lost its place (this one holds the source's lease): its session
            // is ended, so its open transaction cannot hold up the claim or the first batches
            state.claims().endPreviousHolder(c, pipelineId);
            // claimed first: whatever an earlier instance commits from here on is refused, so the position
            // and layouts read next are the last it will ever have written
            c = session.begin();
            long claimed = state.claims().claim(c, pipelineId);
            epoch = claimed;
            c.commit();
            c.setAutoCommit(true);
            state.claims().recordSession(c, pipelineId, claimed);
            session.onConnect(connection -> state.claims().recordSession(connection, pipelineId, claimed));
            schema.start(c, pipelineId, context);
            Optional<Lsn> position = state.position(c, pipelineId);
            return position.isPresent() || settings.legacyStateSchema() == null
                    ? position
                    : LegacyState.migrate(c, settings.legacyStateSchema(), state, pipelineId);
        } catch (SQLException e) {
            session.rollback();
            throw RedshiftErrors.classify("preparing the Redshift target", e);
        }
    }

    @Override
    public void apply(Batch batch) {
        BatchWork work = null;
        TableId current = null;
        try {
            // the batch's work begins once its first event is there, not while waiting for it; its transaction
            // as late as the batch allows (BatchWork)
            ChangeEvent event = batch.next();
            boolean isolated = staging.tableByTable();
            Connection connection = session.connection();
            connection.setAutoCommit(true);
            ValueFailures failures = new ValueFailures(state.errors(), settings, context);
            work = new BatchWork(connection, this::begin, loader, failures, isolated ? null : stage);
            for (; event != null; event = batch.next()) {
                if (event instanceof BeginEvent begin) {
                    work.transaction(begin.commitLsn(), begin.commitTime());
                    continue;
                }
                current = tableOf(event);
                if (event instanceof RelationEvent relation) {
                    schema.relation(work, relation);
                } else if (event instanceof SnapshotEvent snapshot) {
                    work.copy(snapshot);
                } else if (event instanceof SchemaChangeEvent change) {
                    schemaChange(work, change);
                } else if (event instanceof RowChange change) {
                    TargetTable layout = schema.layout(work, change.table());
                    if (layout == null) {
                        throw new TableFailedException(
                                change.table(), "a change arrived before the table's description");
                    }
                    work.add(layout, change);
                } else if (event instanceof TruncateEvent truncate) {
                    for (TableId table : truncate.tables()) {
                        current = table;
                        truncate(work, table);
                    }
                }
                current = null;
            }
            // the shared load's last rows, outside the transaction when nothing opened it yet
            work.finishLoads();
            for (TableId table : work.unmerged()) {
                // a load or merge refused here is its table's failure, not the pipeline's
                current = table;
                work.merge(table);
            }
            current = null;
            work.recordSetAside();
            Connection c = work.connection();
            state.writeCopies(c, pipelineId, work.copied(), work.copyProgress());
            Optional<Map<TableId, TableId>> names = batch.firstNames();
            if (names.isPresent()) {
                state.writeFirstNames(c, pipelineId, names.get());
            }
            state.savePosition(c, pipelineId, batch.endPosition(), batch.lastCommitTime());
            state.claims().check(c, pipelineId, epoch);
            c.commit();
            c.setAutoCommit(true);
            schema.committed(work);
            staging.committed(isolated);
        } catch (SQLException | RuntimeException e) {
            throw failure(e, current, work);
        } finally {
            if (work != null) {
                work.close();
            }
        }
    }

    /**
     * What a failure means: a table's failure when it happened in that table's work and is not transient
     * (recorded in zeroetl_table_state, so it stays FAILED across restarts), else the pipeline's.
     */
    private static final Set<ErrorCode> PIPELINE_WIDE =
            Set.of(ErrorCode.CONFIGURATION, ErrorCode.AUTHENTICATION, ErrorCode.PERMISSION);

    /**
     * Begins a batch's transaction on {@code c}. Under SERIALIZABLE, pipelines sharing this target take turns:
     * each batch writes its own rows of the shared state tables, and Redshift checks serializability per table, so
     * concurrent batches would abort each other with error 1023 instead of waiting. Under SNAPSHOT isolation
     * different rows do not conflict (c_serial_isolation): batches of different pipelines write disjoint target
     * tables and rows, wait only for each other's short write locks on the state tables at their commit, and
     * apply at once. With {@code lockTables} the known tables are locked too.
     */
    private void begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
        if (takeTurns) {
            try (Statement s = c.createStatement()) {
                s.execute("LOCK " + state.turns());
            }
        }
        if (settings.lockTables()) {
            lock(c);
        }
    }

    private RuntimeException failure(Exception failed, TableId found, BatchWork work) {
        Exception e = failed instanceof DirectLoads.Failed load ? load.failure() : failed;
        TableId table = failed instanceof DirectLoads.Failed load ? load.table : found;
        TargetTable layout = table == null ? null : schema.layout(work, table);
        BatchWork.settleQuietly(work);
        session.rollback();
        if (stage.forget()) {
            // the rollback left the shared staging table in a state this does not know: the next session has none
            session.close();
        }
        if (e instanceof SharedLoad.Failed shared) {
            SQLException sql = shared.sql();
            if (RedshiftErrors.codeOf(sql).retriable()) {
                return RedshiftErrors.classify("loading a batch's staged rows", sql);
            }
            // the load mixed the rows of several tables: which one's row was refused, only a load per table tells
            staging.sharedLoadFailed(sql.getMessage());
            return new RetriableException(
                    ErrorCode.RESOURCE_BUSY,
                    "a staging load of several tables failed (" + sql.getMessage() + "); applying the batch again"
                            + " table by table",
                    sql);
        }
        RuntimeException failure = classify(e, table, layout);
        if (!(failure instanceof ZeroEtlException z && z.isRetriable())) {
            // a batch applied table by table found its table (or failed otherwise): the next shares again
            staging.failedForGood();
        }
        return failure;
    }

    private RuntimeException classify(Exception e, TableId table, TargetTable layout) {
        if (e instanceof CopyFailedException copy) {
            // the load's own rows in the load-error log (kept through the rollback), found by its files' names
            e = new SQLException(
                    copy.getMessage() + LoadErrors.describe(session, copy.files(), layout), copy.getSQLState(), copy);
        }
        if (e instanceof TableFailedException failed) {
            recordFailed(failed);
            return failed;
        }
        if (e instanceof RetriableException retriable) {
            return retriable;
        }
        if (e instanceof ZeroEtlException z && PIPELINE_WIDE.contains(z.code())) {
            // e.g. the staging bucket refuses zeroetl: no table is to blame
            return z;
        }
        if (table != null && !(e instanceof ZeroEtlException z && z.code() == ErrorCode.ILLEGAL_STATE)) {
            if (e instanceof SQLException sql && RedshiftErrors.codeOf(sql).retriable()) {
                return RedshiftErrors.classify("applying a batch to Redshift (table " + table + ")", sql);
            }
            if (!(e instanceof SQLException) && !(e instanceof UnstorableValueException)) {
                LOG.warn("Applying the changes of {} failed unexpectedly; the table fails", table, e);
            }
            TableFailedException failed = new TableFailedException(table, RedshiftErrors.tableReason(e));
            recordFailed(failed);
            return failed;
        }
        if (e instanceof SQLException sql) {
            return RedshiftErrors.classify("applying a batch to Redshift", sql);
        }
        return (RuntimeException) e;
    }

    private static TableId tableOf(ChangeEvent event) {
        return event instanceof TableEvent t ? t.table() : null;
    }

    private void schemaChange(BatchWork work, SchemaChangeEvent change) throws SQLException {
        Connection c = work.connection();
        if (change.after().columns().isEmpty()) {
            schema.dropped(work, change.table());
            state.writeTableState(
                    c,
                    pipelineId,
                    change.table(),
                    TableState.DROPPED,
                    "dropped at the source; the target table" + " was "
                            + (settings.droppedTables() == DroppedTables.DROP ? "dropped" : "kept"));
        } else {
            schema.schemaChange(work, change);
            if (change.recopy() == null && schema.layout(work, change.table()) != null) {
                // PostgreSQL describes a changed table again only before its next row change, which may never
                // come (a column added by the last statement of the last transaction): follow the DDL now
                schema.relation(work, new RelationEvent(change.after()));
            }
            if (change.recopy() != null) {
                // the copy this asks for must survive a crash: until it commits, the table has no committed
                // copy, so a restart copies it again (see copiedTables); a copy that finished earlier in this
                // batch lacks this change, so it does not make the table SYNCED at the commit
                state.writeTableState(c, pipelineId, change.table(), TableState.COPY_PENDING, change.recopy());
                work.copyRequested(change.table());
            }
        }
    }

    private void truncate(BatchWork work, TableId table) throws SQLException {
        if (work.emptyForCopy(table)) {
            // the copy's truncate of a table created empty in this batch: nothing to remove
            return;
        }
        work.merge(table);
        TargetTable target = schema.layout(work, table);
        if (target == null) {
            // skipping it would leave rows the source no longer has: the table fails, as a row change would
            throw new TableFailedException(table, "a truncate arrived before the table's description");
        }
        MergeStrategy.of(target).truncate(work.connection(), target, work.transactionTime());
    }

    /** Locks the known target tables in name order, as AWS advises against serialization conflicts. */
    private void lock(Connection c) throws SQLException {
        List<String> names = schema.knownTables();
        if (!names.isEmpty()) {
            try (Statement s = c.createStatement()) {
                s.execute("LOCK " + String.join(", ", names));
            }
        }
    }

    @Override
    public Map<TableId, String> failedTables() {
        return read("zeroetl_table_state", c -> state.failed(c, pipelineId));
    }

    @Override
    public Set<TableId> droppedTables() {
        return read("zeroetl_table_state", c -> state.dropped(c, pipelineId));
    }

    @Override
    public Optional<Set<TableId>> copiedTables() {
        return Optional.of(read("zeroetl_table_state", c -> state.copied(c, pipelineId)));
    }

    @Override
    public Map<TableId, String> copyProgress() {
        return read("zeroetl_table_state", c -> state.copyProgress(c, pipelineId));
    }

    @Override
    public Optional<Map<TableId, TableId>> firstNames() {
        return Optional.of(read("zeroetl_table_names", c -> state.firstNames(c, pipelineId)));
    }

    /** What {@code query} reads from zeroetl's table {@code table}. */
    private <T> T read(String table, StateTables.Query<T> query) {
        try {
            return query.read(session.connection());
        } catch (SQLException e) {
            throw RedshiftErrors.classify("reading " + table, e);
        }
    }

    /** Records tables that failed, after the batch was rolled back, so they stay FAILED across restarts. */
    private void recordFailed(TableFailedException failed) {
        try {
            Connection c = session.begin();
            for (Map.Entry<TableId, String> entry : failed.reasons().entrySet()) {
                state.writeTableState(c, pipelineId, entry.getKey(), TableState.FAILED, entry.getValue());
            }
            state.claims().check(c, pipelineId, epoch);
            c.commit();
        } catch (ZeroEtlException e) {
            session.rollback();
            throw e;
        } catch (SQLException e) {
            session.rollback();
            throw RedshiftErrors.classify("recording a failed table in zeroetl_table_state", e);
        }
    }

    @Override
    public void close() {
        if (loader != null) {
            loader.close();
        }
        session.close();
    }
}

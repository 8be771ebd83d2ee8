package io.zeroetl.redshift.internal;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.DeleteEvent;
import io.zeroetl.change.InsertEvent;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.Row;
import io.zeroetl.change.RowChange;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.SnapshotEvent;
import io.zeroetl.change.TruncateEvent;
import io.zeroetl.change.UpdateEvent;
import io.zeroetl.redshift.ValuePolicy;
import io.zeroetl.redshift.DroppedTables;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.Batch;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.spi.SqlErrors;
import io.zeroetl.spi.TypeMapper;
import io.zeroetl.spi.UnstorableValueException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies batches to Redshift. Per batch, in one transaction: each table's row changes go into a staging
 * table, schema changes and truncates are applied in stream order (staged rows are merged first), each
 * table is merged (unchanged TOAST filled, touched keys deleted, last versions inserted), and the batch's
 * end position is written to {@code zeroetl_state}. So the target shows whole batches, and the position
 * in it says exactly which.
 */
public final class RedshiftApplier implements ChangeApplier {
    private static final Logger LOG = LoggerFactory.getLogger(RedshiftApplier.class);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String jdbcUrl;
    private final Properties properties;
    private final String targetSchema;
    private final String stateSchema;
    private final TypeMapper mapper;
    private final ApplierSettings settings;
    /** Table layouts as committed in the target. */
    private final Map<TableId, TargetTable> tables = new HashMap<>();
    /** Layouts created or changed by the batch being applied; they count only once it commits. */
    private final Map<TableId, TargetTable> changed = new HashMap<>();
    /** Layouts the batch being applied dropped (the source dropped the table). */
    private final java.util.Set<TableId> forgotten = new java.util.HashSet<>();
    private final ValuePolicy defaultPolicy;
    private final Map<TableId, ValuePolicy> policies;
    private ValueFailures failures;
    private Lsn transactionLsn = Lsn.NONE;
    private java.time.Instant transactionTime;
    private Connection connection;
    private String pipelineId;
    private int stagingCounter;

    /**
     * @param jdbcUrl the cluster's JDBC URL
     * @param properties driver properties (user, password, ssl ...)
     * @param settings how to apply
     */
    public RedshiftApplier(String jdbcUrl, Properties properties, ApplierSettings settings) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.settings = settings;
        this.targetSchema = settings.targetSchema();
        this.stateSchema = settings.stateSchema();
        this.mapper = settings.mapper();
        this.defaultPolicy = settings.defaultPolicy();
        this.policies = settings.policies();
    }

    @Override
    public Optional<Lsn> start(ApplierContext context) {
        this.pipelineId = context.pipelineId();
        checkCollisions(context);
        try {
            Connection c = connection();
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.id(stateSchema));
                s.execute("CREATE TABLE IF NOT EXISTS " + state() + " (pipeline_id VARCHAR(64) NOT NULL, lsn BIGINT"
                        + " NOT NULL, source_commit_time TIMESTAMP, applied_at TIMESTAMP, PRIMARY KEY (pipeline_id))");
                ValueFailures.createTable(s, errors());
                TableStates.createTable(s, tableStates());
            }
            failures = new ValueFailures(errors(), pipelineId, defaultPolicy, policies);
            try (PreparedStatement ps = c.prepareStatement("SELECT lsn FROM " + state() + " WHERE pipeline_id = ?")) {
                ps.setString(1, pipelineId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Lsn.of(rs.getLong(1))) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.classify("preparing the Redshift target", e);
        }
    }

    private void checkCollisions(ApplierContext context) {
        if (targetSchema == null) {
            return;
        }
        Map<String, TableId> seen = new HashMap<>();
        for (TableId table : context.tables()) {
            TableId other = seen.put(table.table().toLowerCase(Locale.ROOT), table);
            if (other != null) {
                throw new ZeroEtlException(ErrorCode.CONFIGURATION, "schema: " + other + " and " + table + " would"
                        + " both land in " + targetSchema + "." + table.table() + "; replicate them to their own"
                        + " schemas (leave schema unset) or select only one");
            }
        }
    }

    @Override
    public void apply(Batch batch) {
        TableId current = null;
        changed.clear();
        forgotten.clear();
        try {
            Connection c = connection();
            c.setAutoCommit(false);
            // the batch's transaction begins once its first event is there, not while waiting for it
            ChangeEvent first = batch.next();
            try (Statement s = c.createStatement()) {
                // pipelines sharing this target take turns: concurrent commits to zeroetl_state would
                // otherwise abort each other with serialization errors (1023) instead of waiting
                s.execute("LOCK " + state());
            }
            if (settings.lockTables()) {
                lock(c);
            }
            Map<TableId, Staging> staged = new LinkedHashMap<>();
            List<TableId> copied = new ArrayList<>();
            long seq = 0;
            for (ChangeEvent event = first; event != null; event = batch.next()) {
                if (event instanceof BeginEvent begin) {
                    transactionLsn = begin.commitLsn();
                    transactionTime = begin.commitTime();
                } else if (event instanceof RelationEvent relation) {
                    current = relation.table();
                    relation(c, relation, staged);
                } else if (event instanceof SnapshotEvent snapshot && snapshot.phase() == SnapshotEvent.Phase.FINISHED) {
                    copied.add(snapshot.table());
                } else if (event instanceof SchemaChangeEvent change) {
                    current = change.table();
                    schemaChange(c, change, staged);
                } else if (event instanceof RowChange change) {
                    current = change.table();
                    seq = stage(c, change, staged, seq);
                } else if (event instanceof TruncateEvent truncate) {
                    for (TableId table : truncate.tables()) {
                        current = table;
                        mergeTable(staged, table);
                        TargetTable target = layout(table);
                        if (target != null && target.history()) {
                            // history mode: a TRUNCATE closes every active version
                            try (PreparedStatement ps = c.prepareStatement("UPDATE " + target.qualified() + " SET "
                                    + Sql.id(TargetTable.ACTIVE) + " = FALSE, " + Sql.id(TargetTable.DELETE_TIME)
                                    + " = CAST(? AS TIMESTAMPTZ) WHERE " + Sql.id(TargetTable.ACTIVE))) {
                                ps.setString(1, TargetValues.timestampTz(transactionTime == null ? java.time.OffsetDateTime.now()
                                        : transactionTime.atOffset(java.time.ZoneOffset.UTC)));
                                ps.executeUpdate();
                            }
                        } else if (target != null && target.softDeletes()) {
                            // soft deletes: a TRUNCATE marks every row deleted
                            try (PreparedStatement ps = c.prepareStatement("UPDATE " + target.qualified() + " SET "
                                    + Sql.id(TargetTable.DELETED) + " = TRUE, " + Sql.id(TargetTable.DELETED_AT)
                                    + " = CAST(? AS TIMESTAMPTZ) WHERE NOT " + Sql.id(TargetTable.DELETED))) {
                                ps.setString(1, TargetValues.timestampTz(transactionTime == null ? java.time.OffsetDateTime.now()
                                        : transactionTime.atOffset(java.time.ZoneOffset.UTC)));
                                ps.executeUpdate();
                            }
                        } else if (target != null) {
                            try (Statement s = c.createStatement()) {
                                // Redshift's TRUNCATE would commit the batch's transaction
                                s.executeUpdate("DELETE FROM " + target.qualified());
                            }
                        }
                    }
                }
            }
            current = null;
            for (Staging staging : staged.values()) {
                current = staging.table().source;
                staging.merge();
            }
            current = null;
            failures.flush(c);
            clearFailed(c, copied);
            savePosition(c, batch);
            c.commit();
            tables.keySet().removeAll(forgotten);
            tables.putAll(changed);
            changed.clear();
            forgotten.clear();
        } catch (UnstorableValueException e) {
            rollback();
            TableFailedException failed = new TableFailedException(current, e.getMessage());
            recordFailed(failed);
            throw failed;
        } catch (TableFailedException e) {
            rollback();
            recordFailed(e);
            throw e;
        } catch (SQLException e) {
            rollback();
            if (current != null && confinedToTable(e)) {
                TableFailedException failed = new TableFailedException(current, "Redshift refused its changes: "
                        + e.getMessage() + " (SQLSTATE " + e.getSQLState() + "); fix the cause at the source or in the"
                        + " rules, then resync the table");
                recordFailed(failed);
                throw failed;
            }
            throw SqlErrors.classify("applying a batch to Redshift" + (current == null ? "" : " (table " + current + ")"), e);
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    /**
     * Whether an error while applying one table's changes is that table's alone: a value Redshift refuses
     * (class 22), a limit the table exceeds (class 54, e.g. 1,600 columns) or a feature it does not have
     * (0A). Such a table goes FAILED and the others go on; anything else fails or retries the batch.
     */
    private static boolean confinedToTable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("54") || state.startsWith("0A"));
    }

    /** Locks the known target tables in name order, as AWS advises against serialization conflicts. */
    private void lock(Connection c) throws SQLException {
        List<String> names = tables.values().stream().map(TargetTable::qualified).sorted().toList();
        if (!names.isEmpty()) {
            try (Statement s = c.createStatement()) {
                s.execute("LOCK " + String.join(", ", names));
            }
        }
    }

    private void relation(Connection c, RelationEvent relation, Map<TableId, Staging> staged) throws SQLException {
        TargetTable wanted = TargetTable.of(relation.schema(), targetSchema, mapper,
                settings.distributions().get(relation.table()));
        TargetTable known = layout(relation.table());
        if (known != null && known.sourceSchema.equals(relation.schema())) {
            return;
        }
        mergeTable(staged, relation.table());
        staged.remove(relation.table());
        List<String> existing = targetColumns(c, wanted);
        if (known != null && !existing.isEmpty() && !known.keys.equals(wanted.keys)
                && known.columnNames().equals(wanted.columnNames())) {
            rekey(c, known, wanted);
            changed.put(relation.table(), wanted);
            return;
        }
        Map<String, String> types = known == null ? Map.of() : targetTypes(known);
        try (Statement s = c.createStatement()) {
            if (existing.isEmpty()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.id(wanted.schema));
                s.execute(wanted.createSql());
                LOG.info("Created {} for {}", wanted.qualified(), relation.table());
            } else {
                for (TargetTable.TargetColumn column : wanted.columns) {
                    if (!existing.contains(column.name())) {
                        s.execute("ALTER TABLE " + wanted.qualified() + " ADD COLUMN " + Sql.id(column.name()) + " "
                                + column.mapping().targetType());
                        LOG.info("Added column {} to {}", column.name(), wanted.qualified());
                    }
                }
                for (TargetTable.TargetColumn column : wanted.columns) {
                    String before = types.get(column.name());
                    if (before != null && existing.contains(column.name())
                            && !before.equals(column.mapping().targetType())) {
                        rebuild(c, wanted, column, before);
                    }
                }
                for (String column : existing) {
                    if (!wanted.columnNames().contains(column)) {
                        s.execute("ALTER TABLE " + wanted.qualified() + " DROP COLUMN " + Sql.id(column));
                        LOG.info("Dropped column {} from {}", column, wanted.qualified());
                    }
                }
            }
        }
        changed.put(relation.table(), wanted);
    }

    /** Renames follow the source (the values stay); added, dropped and retyped columns follow the Relation. */
    private void schemaChange(Connection c, SchemaChangeEvent change, Map<TableId, Staging> staged) throws SQLException {
        if (change.after().columns().isEmpty()) {
            dropped(c, change.table(), staged);
            return;
        }
        TargetTable known = layout(change.table());
        if (known == null || change.renamedColumns().isEmpty()) {
            return;
        }
        mergeTable(staged, change.table());
        staged.remove(change.table());
        try (Statement s = c.createStatement()) {
            for (Map.Entry<String, String> rename : change.renamedColumns().entrySet()) {
                if (known.columnNames().contains(rename.getKey())) {
                    s.execute("ALTER TABLE " + known.qualified() + " RENAME COLUMN " + Sql.id(rename.getKey()) + " TO "
                            + Sql.id(rename.getValue()));
                    LOG.info("Renamed {}.{} to {}", known.qualified(), rename.getKey(), rename.getValue());
                }
            }
        }
        changed.put(change.table(), known.renamed(change.renamedColumns()));
    }

    private TargetTable layout(TableId table) {
        TargetTable pending = changed.get(table);
        return pending != null ? pending : forgotten.contains(table) ? null : tables.get(table);
    }

    /** The source dropped the table: keep or drop the target by policy, and record it DROPPED. */
    private void dropped(Connection c, TableId table, Map<TableId, Staging> staged) throws SQLException {
        mergeTable(staged, table);
        staged.remove(table);
        TargetTable known = layout(table);
        String target = known != null ? known.qualified()
                : Sql.qualified(targetSchema != null ? targetSchema : table.schema(), table.table());
        if (settings.droppedTables() == DroppedTables.DROP) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + target);
            }
            LOG.info("Dropped {}: {} was dropped at the source", target, table);
        } else {
            LOG.info("Kept {}: {} was dropped at the source", target, table);
        }
        changed.remove(table);
        forgotten.add(table);
        writeTableState(c, table, "DROPPED", "dropped at the source; the target table was "
                + (settings.droppedTables() == DroppedTables.DROP ? "dropped" : "kept"));
    }

    /**
     * The key changed: the table is rebuilt with the new key (declared key, DISTKEY, SORTKEY) in the
     * batch's transaction — a new table, the rows copied, the old one dropped, the new one renamed.
     */
    private static void rekey(Connection c, TargetTable known, TargetTable wanted) throws SQLException {
        String rebuilt = "zeroetl_rekey_" + Integer.toHexString(wanted.name.hashCode());
        TargetTable temporary = wanted.named(rebuilt);
        try (Statement s = c.createStatement()) {
            s.execute(temporary.createSql());
            String columns = Sql.list(wanted.columnNames());
            s.executeUpdate("INSERT INTO " + temporary.qualified() + " (" + columns + ") SELECT " + columns + " FROM "
                    + known.qualified());
            s.execute("DROP TABLE " + known.qualified());
            s.execute("ALTER TABLE " + temporary.qualified() + " RENAME TO " + Sql.id(wanted.name));
        }
        LOG.info("Rebuilt {} with key {} (was {})", wanted.qualified(), wanted.keys, known.keys);
    }

    private static Map<String, String> targetTypes(TargetTable table) {
        Map<String, String> types = new HashMap<>();
        table.columns.forEach(column -> types.put(column.name(), column.mapping().targetType()));
        return types;
    }

    /**
     * A column whose type changed is rebuilt in place: a new column of the new type, filled by CAST from
     * the old, which is then dropped and the new one renamed. Unlike ALTER COLUMN TYPE (VARCHAR length
     * only, and never inside a transaction) all four steps run in the batch's transaction. When the old
     * values do not convert, only this table fails.
     */
    private static void rebuild(Connection c, TargetTable table, TargetTable.TargetColumn column, String before)
            throws SQLException {
        String t = table.qualified();
        String name = Sql.id(column.name());
        String temporary = Sql.id("zeroetl_new_" + Math.abs(column.name().hashCode()));
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + t + " ADD COLUMN " + temporary + " " + column.mapping().targetType());
            s.executeUpdate("UPDATE " + t + " SET " + temporary + " = CAST(" + name + " AS "
                    + column.mapping().targetType() + ")");
            s.execute("ALTER TABLE " + t + " DROP COLUMN " + name);
            s.execute("ALTER TABLE " + t + " RENAME COLUMN " + temporary + " TO " + name);
            LOG.info("Rebuilt {}.{} from {} to {}", t, column.name(), before, column.mapping().targetType());
        } catch (SQLException e) {
            throw new TableFailedException(table.source, "the type of column " + column.name() + " changed from "
                    + before + " to " + column.mapping().targetType() + " and the existing values do not convert ("
                    + e.getMessage() + "); resync the table");
        }
    }

    private List<String> targetColumns(Connection c, TargetTable table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, table.schema);
            ps.setString(2, table.name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private long stage(Connection c, RowChange change, Map<TableId, Staging> staged, long seq) throws SQLException {
        TargetTable table = layout(change.table());
        if (table == null) {
            throw new TableFailedException(change.table(), "a change arrived before the table's description");
        }
        Staging staging = staged.computeIfAbsent(change.table(), t -> new Staging(c, table, ++stagingCounter, settings.loader()));
        long next = seq;
        if (change instanceof InsertEvent insert) {
            stageRow(staging, ++next, 'U', insert.row(), List.of());
        } else if (change instanceof UpdateEvent update) {
            if (update.oldRow() != null && !sameKey(table, update.oldRow(), update.newRow())) {
                // a key move: the old key's row goes (M, carrying the values the new row did not resend)
                // and the new key's row (V) takes those values from it
                List<Integer> carried = unchangedOf(table, update.newRow());
                stageRow(staging, ++next, carried.isEmpty() ? 'D' : 'M', update.oldRow(), carried);
                stageRow(staging, ++next, carried.isEmpty() ? 'U' : 'V', update.newRow(), List.of());
            } else {
                stageRow(staging, ++next, 'U', update.newRow(), List.of());
            }
        } else if (change instanceof DeleteEvent delete) {
            stageRow(staging, ++next, 'D', delete.oldRow(), List.of());
        }
        return next;
    }

    private static boolean sameKey(TargetTable table, Row a, Row b) {
        for (TargetTable.TargetColumn column : table.columns) {
            if (column.key() && !java.util.Objects.deepEquals(a.get(column.sourceIndex()), b.get(column.sourceIndex()))) {
                return false;
            }
        }
        return true;
    }

    private static List<Integer> unchangedOf(TargetTable table, Row row) {
        List<Integer> unchanged = new ArrayList<>();
        for (int i = 0; i < table.columns.size(); i++) {
            int source = table.columns.get(i).sourceIndex();
            if (source < row.size() && row.get(source) == Row.UNCHANGED) {
                unchanged.add(i);
            }
        }
        return unchanged;
    }

    /** Stages one version; {@code carried} marks columns to fill as unchanged though the row has no value. */
    private void stageRow(Staging staging, long seq, char op, Row row, List<Integer> carried) throws SQLException {
        TargetTable table = staging.table();
        String[] values = new String[table.columns.size()];
        List<Integer> unchanged = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            TargetTable.TargetColumn column = table.columns.get(i);
            Object value = column.sourceIndex() < row.size() ? row.get(column.sourceIndex()) : null;
            if (value == Row.UNCHANGED || carried.contains(i)) {
                unchanged.add(i);
            } else if (op == 'U' || op == 'V' || column.key() || column.name().equals(TargetTable.CREATE_TIME)) {
                try {
                    Object converted = column.mapping().convert(value);
                    values[i] = converted == null ? null : converted.toString();
                } catch (UnstorableValueException e) {
                    if (column.key()) {
                        throw new UnstorableValueException("key column " + column.name() + ": " + e.getMessage());
                    }
                    values[i] = failures.handle(table.source, key(table, row), column.name(), value, e, transactionLsn);
                }
            }
        }
        staging.add(seq, op, values, unchanged);
    }

    private static String key(TargetTable table, Row row) {
        StringBuilder key = new StringBuilder();
        for (TargetTable.TargetColumn column : table.columns) {
            if (column.key()) {
                key.append(key.length() == 0 ? "" : ", ").append(column.name()).append('=')
                        .append(row.get(column.sourceIndex()));
            }
        }
        return key.toString();
    }

    private static void mergeTable(Map<TableId, Staging> staged, TableId table) throws SQLException {
        Staging staging = staged.get(table);
        if (staging != null) {
            staging.merge();
        }
    }

    private void savePosition(Connection c, Batch batch) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + state() + " WHERE pipeline_id = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + state() + " (pipeline_id, lsn,"
                     + " source_commit_time, applied_at) VALUES (?, CAST(? AS BIGINT), CAST(? AS TIMESTAMP), GETDATE())")) {
            delete.setString(1, pipelineId);
            delete.executeUpdate();
            insert.setString(1, pipelineId);
            insert.setString(2, Long.toString(batch.endPosition().value()));
            Instant time = batch.lastCommitTime();
            insert.setString(3, time == null ? null : TIMESTAMP.format(time));
            insert.executeUpdate();
        }
    }

    private String state() {
        return Sql.qualified(stateSchema, "zeroetl_state");
    }

    private String tableStates() {
        return Sql.qualified(stateSchema, "zeroetl_table_state");
    }

    @Override
    public Map<TableId, String> failedTables() {
        try {
            return TableStates.failed(connection(), tableStates(), pipelineId);
        } catch (SQLException e) {
            throw SqlErrors.classify("reading zeroetl_table_state", e);
        }
    }

    @Override
    public Optional<Set<TableId>> copiedTables() {
        try {
            return Optional.of(TableStates.copied(connection(), tableStates(), pipelineId));
        } catch (SQLException e) {
            throw SqlErrors.classify("reading zeroetl_table_state", e);
        }
    }

    /** A table copied whole in this batch is SYNCED (no longer FAILED), in the batch's transaction. */
    private void clearFailed(Connection c, List<TableId> copied) throws SQLException {
        for (TableId table : copied) {
            writeTableState(c, table, "SYNCED", null);
        }
    }

    private void writeTableState(Connection c, TableId table, String state, String reason) throws SQLException {
        TableStates.write(c, tableStates(), pipelineId, table, state, reason);
    }

    /** Records tables that failed, after the batch was rolled back, so they stay FAILED across restarts. */
    private void recordFailed(TableFailedException failed) {
        try {
            Connection c = connection();
            c.setAutoCommit(false);
            for (Map.Entry<TableId, String> entry : failed.reasons().entrySet()) {
                writeTableState(c, entry.getKey(), "FAILED", entry.getValue());
            }
            c.commit();
        } catch (SQLException e) {
            rollback();
            throw SqlErrors.classify("recording a failed table in zeroetl_table_state", e);
        }
    }

    private String errors() {
        return Sql.qualified(stateSchema, "zeroetl_errors");
    }

    private Connection connection() throws SQLException {
        if (connection == null || !connection.isValid(5)) {
            closeQuietly();
            connection = DriverManager.getConnection(jdbcUrl, properties);
            try (Statement s = connection.createStatement()) {
                s.execute("SET enable_case_sensitive_identifier TO true");
            }
        }
        return connection;
    }

    private void rollback() {
        if (failures != null) {
            failures.clear();
        }
        try {
            if (connection != null && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("rollback failed; the connection is dropped", e);
            closeQuietly();
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the Redshift connection", e);
            }
            connection = null;
        }
    }
}

package io.zeroetl.redshift.internal;

import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.change.RelationEvent;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.redshift.DroppedTables;
import io.zeroetl.spi.ApplierContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each target table's layout in line with its source, inside the batch's transaction: creates tables
 * on first sight, adds, drops, renames and retypes columns, rebuilds a table whose key, distribution or
 * sort key must change (Redshift cannot drop or retype those columns: r_ALTER_TABLE), gives a table being
 * copied a fresh layout, and keeps or drops the target of a table dropped at the source. Layouts changed by
 * a batch count only once it commits.
 */
final class SchemaFollower {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaFollower.class);

    private final ApplierSettings settings;
    private final IdentifierCase identifiers;
    private final StateTables state;
    private final Map<TableId, TargetTable> committed = new HashMap<>();
    /** Layouts recorded in the target (as of the last commit) for tables whose layout this run has not seen. */
    private final Map<TableId, String> recorded = new HashMap<>();

    private String pipelineId;
    private ApplierContext context = new ApplierContext("", Set.of());

    SchemaFollower(ApplierSettings settings, StateTables state, IdentifierCase identifiers) {
        this.settings = settings;
        this.state = state;
        this.identifiers = identifiers;
    }

    /**
     * The pipeline starts: the layouts recorded by earlier runs; {@code context} names the source table of a
     * target table, by which per-table settings are given.
     */
    void start(Connection c, String pipeline, ApplierContext context) throws SQLException {
        this.pipelineId = pipeline;
        this.context = context;
        recorded.clear();
        recorded.putAll(state.layouts(c, pipeline));
    }

    /** {@code work}'s batch committed: the layouts it gave tables count from now on. */
    void committed(BatchWork work) {
        recorded.putAll(work.renamedLayouts);
        committed.keySet().removeAll(work.forgotten);
        committed.putAll(work.changed);
        work.changed.forEach(
                (table, layout) -> recorded.put(table, Layout.of(layout).encode()));
        work.forgotten.forEach(recorded::remove);
    }

    /** The table's layout as {@code work}'s batch so far left it (or the last committed one), or null when unknown. */
    TargetTable layout(BatchWork work, TableId table) {
        TargetTable pending = work == null ? null : work.changed.get(table);
        return pending != null ? pending : work != null && work.forgotten.contains(table) ? null : committed.get(table);
    }

    /** The qualified names of the target tables whose layout is known, in name order. */
    List<String> knownTables() {
        return committed.values().stream().map(TargetTable::qualified).sorted().toList();
    }

    /** Brings the target table in line with the source's description of it. */
    void relation(BatchWork work, RelationEvent relation) throws SQLException {
        TableId table = relation.table();
        TargetTable wanted = TargetTable.of(
                relation.schema(),
                settings.targetSchema(),
                settings.mapper(),
                settings.distributions()
                        .get(context.settingsName(
                                table, settings.distributions().keySet())));
        check(wanted);
        TargetTable known = layout(work, table);
        boolean copy = work.copyDescribed(table);
        if (!copy && known != null && known.sourceSchema.equals(relation.schema())) {
            return;
        }
        String wantedLayout = Layout.of(wanted).encode();
        String recordedLayout = known == null && !work.forgotten.contains(table)
                ? work.renamedLayouts.getOrDefault(table, recorded.get(table))
                : null;
        if (!copy && recordedLayout != null && recordedLayout.equals(wantedLayout)) {
            // the first description since a restart, and the target is as recorded: nothing to change
            work.changed.put(table, wanted);
            return;
        }
        Layout before = known != null ? Layout.of(known) : Layout.decode(recordedLayout);
        // the target changes: from here on in the batch's transaction
        Connection c = work.connection();
        work.merge(table);
        List<String> existing = TargetCatalog.targetColumns(c, wanted);
        try (Statement s = c.createStatement()) {
            if (existing.isEmpty()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.id(wanted.schema));
                s.execute(wanted.createSql());
                LOG.info("Created {} for {}", wanted.qualified(), table);
                if (copy) {
                    work.createdForCopy(table);
                }
            } else if (copy && wanted.mode != TargetTable.Mode.HISTORY && !wanted.softDeletes()) {
                // the copy replaces every row: the table is created afresh with the source's current layout (keyed
                // or not), keeping what users were allowed on it
                List<TargetGrants.Grant> grants = TargetGrants.read(c, wanted);
                TargetDrops.drop(c, wanted, "its copy replaces it");
                s.execute(wanted.createSql());
                TargetGrants.give(c, wanted, grants);
                LOG.info("Created {} afresh for the copy of {}", wanted.qualified(), table);
                work.createdForCopy(table);
            } else if (before != null
                    && (before.rekeys(wanted)
                            || dropsKey(before, wanted)
                            || known != null && known.mode != wanted.mode)) {
                rebuild(c, before, wanted, existing);
            } else {
                alter(c, before, wanted, existing);
            }
        }
        work.changed.put(table, wanted);
        state.writeLayout(c, pipelineId, table, wantedLayout);
    }

    private void check(TargetTable wanted) {
        if (state.collides(wanted.schema, wanted.name)) {
            throw new TableFailedException(
                    wanted.source,
                    "it would land in " + wanted.qualified() + ", one of"
                            + " zeroetl's own tables; give zeroetl's tables a schema of their own (RedshiftTarget"
                            + " stateSchema) or this table another target name");
        }
        if (!wanted.collisions().isEmpty()) {
            throw new TableFailedException(
                    wanted.source,
                    "two target columns would be named " + wanted.collisions() + "; rename one with the table's rules");
        }
        identifiers.check(wanted);
        if (wanted.mode == TargetTable.Mode.HISTORY && wanted.keys.isEmpty()) {
            throw new TableFailedException(
                    wanted.source,
                    "history mode needs a key, and the table has none; add a"
                            + " primary key at the source, or use the default delete mode");
        }
    }

    private static boolean dropsKey(Layout before, TargetTable wanted) {
        return before.keys().stream().anyMatch(k -> wanted.column(k).isEmpty());
    }

    /** Adds, retypes and drops columns in place (none of them a key, distribution or sort key column). */
    private static void alter(Connection c, Layout before, TargetTable wanted, List<String> existing)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            for (TargetTable.TargetColumn column : wanted.columns) {
                if (!existing.contains(column.name())) {
                    s.execute("ALTER TABLE " + wanted.qualified() + " ADD COLUMN " + Sql.id(column.name()) + " "
                            + column.type());
                    LOG.info("Added column {} to {}", column.name(), wanted.qualified());
                }
            }
            if (before != null) {
                for (TargetTable.TargetColumn column : wanted.columns) {
                    String was = before.types().get(column.name());
                    if (was != null && existing.contains(column.name()) && !was.equals(column.type())) {
                        retype(c, wanted, column, was, existing);
                    }
                }
            }
            for (String column : existing) {
                if (wanted.column(column).isEmpty()) {
                    s.execute("ALTER TABLE " + wanted.qualified() + " DROP COLUMN " + Sql.id(column));
                    LOG.info("Dropped column {} from {}", column, wanted.qualified());
                }
            }
        }
    }

    /**
     * A column whose type changed is rebuilt in place: a new column of the new type, filled from the old,
     * which is then dropped and the new one renamed. Unlike ALTER COLUMN TYPE (VARCHAR length only, and never
     * inside a transaction: r_ALTER_TABLE) all four steps run in the batch's transaction. Never used for a
     * key column: those rebuild the table. When the old values do not convert, only this table fails.
     */
    private static void retype(
            Connection c, TargetTable table, TargetTable.TargetColumn column, String before, List<String> existing)
            throws SQLException {
        String t = table.qualified();
        String name = Sql.id(column.name());
        String temporary = TargetCatalog.unused(
                "zeroetl_new_" + Integer.toHexString(column.name().hashCode()), existing);
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + t + " ADD COLUMN " + Sql.id(temporary) + " " + column.type());
            s.executeUpdate("UPDATE " + t + " SET " + Sql.id(temporary) + " = "
                    + Conversions.convert(name, before, column.type()));
            s.execute("ALTER TABLE " + t + " DROP COLUMN " + name);
            s.execute("ALTER TABLE " + t + " RENAME COLUMN " + Sql.id(temporary) + " TO " + name);
            LOG.info("Rebuilt {}.{} from {} to {}", t, column.name(), before, column.type());
        } catch (SQLException e) {
            if (RedshiftErrors.codeOf(e).retriable()) {
                throw e;
            }
            throw new TableFailedException(
                    table.source,
                    "the type of column " + column.name() + " changed from "
                            + before + " to " + column.type() + " and the existing values do not convert ("
                            + e.getMessage()
                            + "); resync the table");
        }
    }

    /**
     * The key (or a key column's type, or the distribution) changed: the table is rebuilt with the new key,
     * DISTKEY and SORTKEY inside the batch's transaction — a new table, the rows copied with the columns they
     * share converted, the old table dropped, the new one renamed — as Redshift can neither drop nor retype a
     * distribution, sort or primary key column (r_ALTER_TABLE).
     */
    private static void rebuild(Connection c, Layout known, TargetTable wanted, List<String> existing)
            throws SQLException {
        String rebuilt = TargetCatalog.unused(
                "zeroetl_rebuild_" + Integer.toHexString(wanted.name.hashCode()), TargetCatalog.tables(c, wanted));
        TargetTable temporary = wanted.named(rebuilt);
        List<String> into = new ArrayList<>();
        List<String> from = new ArrayList<>();
        for (TargetTable.TargetColumn column : wanted.columns) {
            if (existing.contains(column.name())) {
                String before = known.types().getOrDefault(column.name(), column.type());
                into.add(Sql.id(column.name()));
                from.add(Conversions.convert(Sql.id(column.name()), before, column.type()));
            }
        }
        try (Statement s = c.createStatement()) {
            List<TargetGrants.Grant> grants = TargetGrants.read(c, wanted);
            s.execute(temporary.createSql());
            if (!into.isEmpty()) {
                s.executeUpdate("INSERT INTO " + temporary.qualified() + " (" + String.join(", ", into) + ") SELECT "
                        + String.join(", ", from) + " FROM " + wanted.qualified());
            }
            TargetDrops.drop(
                    c, wanted, "its key changed (" + known.keys() + " to " + wanted.keys + ") and it must be rebuilt");
            s.execute("ALTER TABLE " + temporary.qualified() + " RENAME TO " + Sql.id(wanted.name));
            TargetGrants.give(c, wanted, grants);
        } catch (SQLException e) {
            if (RedshiftErrors.codeOf(e).retriable()) {
                throw e;
            }
            throw new TableFailedException(
                    wanted.source,
                    "its key changed (" + known.keys() + " to " + wanted.keys
                            + ") and the rows do not convert to the new layout (" + e.getMessage()
                            + "); resync the table");
        }
        LOG.info("Rebuilt {} with key {} (was {})", wanted.qualified(), wanted.keys, known.keys());
    }

    /** Renames follow the source (the values stay); added, dropped and retyped columns follow the Relation. */
    void schemaChange(BatchWork work, SchemaChangeEvent change) throws SQLException {
        TableId renamedFrom = change.renamedFrom();
        if (renamedFrom != null && !renamedFrom.equals(change.table())) {
            renameTable(work, renamedFrom, change);
        }
        if (change.renamedColumns().isEmpty()) {
            return;
        }
        Connection c = work.connection();
        TargetTable known = layout(work, change.table());
        work.merge(change.table());
        if (known == null) {
            renameUnknown(work, change);
            return;
        }
        TargetTable renamed = known.renamed(change.renamedColumns());
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < known.columns.size(); i++) {
                String from = known.columns.get(i).name();
                String to = renamed.columns.get(i).name();
                if (!from.equals(to)) {
                    s.execute("ALTER TABLE " + known.qualified() + " RENAME COLUMN " + Sql.id(from) + " TO "
                            + Sql.id(to));
                    LOG.info("Renamed {}.{} to {}", known.qualified(), from, to);
                }
            }
        }
        work.changed.put(change.table(), renamed);
        state.writeLayout(c, pipelineId, change.table(), Layout.of(renamed).encode());
    }

    /**
     * The table was renamed at the source and the rename followed: its target table, recorded layout, state and
     * recorded conversions take the new name in the batch's transaction; what it staged under the old name is
     * merged first.
     */
    private void renameTable(BatchWork work, TableId from, SchemaChangeEvent change) throws SQLException {
        TableId to = change.table();
        TableRenames.checkSettings(settings, context, from, to);
        if (from.equals(to)) {
            // its rules give it a target name that does not follow the source's (targetName): nothing to rename
            return;
        }
        Connection c = work.connection();
        work.merge(from);
        TargetTable known = layout(work, from);
        TargetTable wanted = known != null
                ? known.at(to, schemaOf(to))
                : TargetTable.of(change.after(), settings.targetSchema(), settings.mapper(), null);
        TargetTable before = wanted.at(from, schemaOf(from));
        TableRenames.rename(c, from, before, wanted);
        String layout = known != null ? Layout.of(known).encode() : recorded.get(from);
        work.renamed(from, to);
        work.changed.remove(from);
        work.forgotten.add(from);
        work.forgotten.remove(to);
        if (known != null) {
            work.changed.put(to, wanted);
        } else if (layout != null) {
            work.renamedLayouts.put(to, layout);
        }
        state.renameTable(c, pipelineId, from, to);
    }

    private String schemaOf(TableId table) {
        return settings.targetSchema() != null ? settings.targetSchema() : table.schema();
    }

    /**
     * A rename while the table's layout is not known (the first batch after a restart): the target's columns
     * that still bear an old name are renamed, so their values stay — never a drop and an add.
     */
    private void renameUnknown(BatchWork work, SchemaChangeEvent change) throws SQLException {
        Connection c = work.connection();
        TargetTable after = TargetTable.of(change.after(), settings.targetSchema(), settings.mapper(), null);
        List<String> existing = TargetCatalog.targetColumns(c, after);
        Map<String, String> back = new HashMap<>();
        change.renamedColumns().forEach((from, to) -> back.put(to, from));
        List<String> before = change.after().columns().stream()
                .map(col -> back.getOrDefault(col.name(), col.name()))
                .toList();
        List<String> oldNames = TargetNames.columns(before);
        Map<String, String> renamed = new HashMap<>();
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < after.columns.size(); i++) {
                String from = oldNames.get(i);
                String to = after.columns.get(i).name();
                if (!from.equals(to) && existing.contains(from) && !existing.contains(to)) {
                    s.execute("ALTER TABLE " + after.qualified() + " RENAME COLUMN " + Sql.id(from) + " TO "
                            + Sql.id(to));
                    renamed.put(from, to);
                    LOG.info("Renamed {}.{} to {}", after.qualified(), from, to);
                }
            }
        }
        // the recorded layout follows, so the column's type is still known by its new name (a later type change
        // of it is converted, not taken as done)
        String recordedLayout = work.renamedLayouts.getOrDefault(change.table(), recorded.get(change.table()));
        Layout was = renamed.isEmpty() ? null : Layout.decode(recordedLayout);
        if (was != null) {
            String layout = was.renamed(renamed).encode();
            state.writeLayout(c, pipelineId, change.table(), layout);
            work.renamedLayouts.put(change.table(), layout);
        }
    }

    /** The source dropped the table: keep or drop the target by policy, and record it DROPPED. */
    void dropped(BatchWork work, TableId table) throws SQLException {
        Connection c = work.connection();
        work.merge(table);
        TargetTable known = layout(work, table);
        String target = known != null
                ? known.qualified()
                : Sql.qualified(
                        settings.targetSchema() != null ? settings.targetSchema() : table.schema(), table.table());
        if (settings.droppedTables() == DroppedTables.DROP) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + target);
            }
            LOG.info("Dropped {}: {} was dropped at the source", target, table);
        } else {
            LOG.info("Kept {}: {} was dropped at the source", target, table);
        }
        work.changed.remove(table);
        work.forgotten.add(table);
        state.writeLayout(c, pipelineId, table, null);
    }
}

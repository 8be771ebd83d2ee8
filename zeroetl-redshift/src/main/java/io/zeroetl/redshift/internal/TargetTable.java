package io.zeroetl.redshift.internal;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.TableSchema;
import io.zeroetl.redshift.Distribution;
import io.zeroetl.spi.ColumnMapping;
import io.zeroetl.spi.TypeMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A source table's target: where it lives, how each source column lands, and how its rows are applied.
 * The way of applying ({@link Mode}) comes from the columns' roles — set by the pipeline's configuration —
 * and the source's replica identity, never from column names. Immutable.
 */
final class TargetTable {
    /**
     * How a table's changes are applied.
     */
    enum Mode {
        /** One row per key: touched keys are replaced by their last version (hard or soft deletes). */
        KEYED,
        /** One row per version (history mode): versions are closed and appended. */
        HISTORY,
        /** No key (REPLICA IDENTITY FULL without a primary key): a multiset, copies added and removed one by one. */
        MULTISET
    }

    /** Redshift allows at most this many columns in a compound sort key (r_CREATE_TABLE_NEW). */
    private static final int MAX_SORTKEY_COLUMNS = 400;

    /**
     * One target column: its name, mapping, the source column position it comes from, whether it is part of
     * the key, and its role.
     */
    record TargetColumn(String name, ColumnMapping mapping, int sourceIndex, boolean key, Column.Role role) {
        /** The column's Redshift type, as the mapping gives it. */
        String type() {
            return mapping.targetType();
        }
    }

    final TableId source;
    final String schema;
    final String name;
    final TableSchema sourceSchema;
    final List<TargetColumn> columns;
    final List<String> keys;
    final Distribution distribution;
    final Mode mode;
    /** Whether every column is data (no history or soft-delete columns to fill): a copy may load straight in. */
    final boolean allData;

    private TargetTable(
            TableId source,
            String schema,
            String name,
            TableSchema sourceSchema,
            List<TargetColumn> columns,
            Distribution distribution) {
        this.source = source;
        this.schema = schema;
        this.name = name;
        this.sourceSchema = sourceSchema;
        this.columns = List.copyOf(columns);
        this.keys = this.columns.stream()
                .filter(TargetColumn::key)
                .map(TargetColumn::name)
                .toList();
        this.distribution = distribution;
        this.mode = has(Column.Role.HISTORY_ACTIVE) ? Mode.HISTORY : keys.isEmpty() ? Mode.MULTISET : Mode.KEYED;
        this.allData = this.columns.stream().allMatch(c -> c.role() == Column.Role.DATA);
    }

    /**
     * The target of {@code schema}: in {@code targetSchema} (null: the source schema's name), columns mapped
     * by {@code mapper}, column names that Redshift reserves renamed ({@link TargetNames}).
     */
    static TargetTable of(TableSchema schema, String targetSchema, TypeMapper mapper, Distribution distribution) {
        List<String> names =
                TargetNames.columns(schema.columns().stream().map(Column::name).toList());
        List<TargetColumn> columns = new ArrayList<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            Column c = schema.columns().get(i);
            columns.add(new TargetColumn(names.get(i), mapper.map(schema.table(), c), i, c.key(), c.role()));
        }
        return new TargetTable(
                schema.table(),
                targetSchema != null ? targetSchema : schema.table().schema(),
                schema.table().table(),
                schema,
                columns,
                distribution);
    }

    /** This table after {@code renames} (old source column name to new). */
    TargetTable renamed(Map<String, String> renames) {
        List<Column> source = new ArrayList<>();
        for (Column c : sourceSchema.columns()) {
            source.add(c.named(renames.getOrDefault(c.name(), c.name())));
        }
        List<String> names =
                TargetNames.columns(source.stream().map(Column::name).toList());
        List<TargetColumn> renamed = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            TargetColumn c = columns.get(i);
            renamed.add(new TargetColumn(names.get(c.sourceIndex()), c.mapping(), c.sourceIndex(), c.key(), c.role()));
        }
        return new TargetTable(
                this.source,
                schema,
                name,
                new TableSchema(this.source, source, sourceSchema.identity()),
                renamed,
                distribution);
    }

    /** The same layout for the target id {@code table}: in {@code schema} under {@code table}'s name. */
    TargetTable at(TableId table, String otherSchema) {
        return new TargetTable(table, otherSchema, table.table(), sourceSchema, columns, distribution);
    }

    /** The same table under another name (in the same schema). */
    TargetTable named(String other) {
        return new TargetTable(source, schema, other, sourceSchema, columns, distribution);
    }

    /** Whether a column has {@code role}. */
    boolean has(Column.Role role) {
        return columns.stream().anyMatch(c -> c.role() == role);
    }

    /** The column with {@code role}. */
    Optional<TargetColumn> column(Column.Role role) {
        return columns.stream().filter(c -> c.role() == role).findFirst();
    }

    /** The column named {@code name}. */
    Optional<TargetColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Whether deletes only mark rows (soft deletes). */
    boolean softDeletes() {
        return has(Column.Role.SOFT_DELETED);
    }

    String qualified() {
        return Sql.qualified(schema, name);
    }

    List<String> columnNames() {
        return columns.stream().map(TargetColumn::name).toList();
    }

    /** The key columns. */
    List<TargetColumn> keyColumns() {
        return columns.stream().filter(TargetColumn::key).toList();
    }

    /**
     * CREATE TABLE: a key is declared (informational in Redshift) and used as distribution and sort key; a
     * keyless table and a history table declare none, and nothing is NOT NULL that the source may leave NULL
     * (Redshift enforces NOT NULL). SUPER columns are never distribution or sort keys (limitations-super).
     */
    String createSql() {
        StringBuilder sql =
                new StringBuilder("CREATE TABLE ").append(qualified()).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            TargetColumn c = columns.get(i);
            sql.append(i == 0 ? "" : ", ").append(Sql.id(c.name())).append(' ').append(c.type());
            if (c.key()) {
                sql.append(" NOT NULL");
            }
        }
        if (mode == Mode.KEYED) {
            sql.append(", PRIMARY KEY (").append(Sql.list(keys)).append(')');
        }
        sql.append(')');
        Distribution style =
                distribution != null ? distribution : keys.isEmpty() ? Distribution.AUTO : Distribution.KEY;
        if (distKey() >= 0) {
            sql.append(" DISTSTYLE KEY DISTKEY(").append(Sql.id(keys.get(0))).append(')');
        } else {
            sql.append(" DISTSTYLE ").append(style == Distribution.KEY ? "AUTO" : style.name());
        }
        if (!keys.isEmpty()
                && keys.size() <= MAX_SORTKEY_COLUMNS
                && keys.stream().allMatch(this::sortable)) {
            sql.append(" COMPOUND SORTKEY(").append(Sql.list(keys)).append(')');
        }
        return sql.toString();
    }

    /**
     * The index of the column the table is distributed by ({@link #createSql}): its first key column, unless
     * the table has none, is distributed otherwise, or that column is SUPER; -1 when there is none.
     */
    int distKey() {
        Distribution style =
                distribution != null ? distribution : keys.isEmpty() ? Distribution.AUTO : Distribution.KEY;
        if (style != Distribution.KEY || keys.isEmpty() || !sortable(keys.get(0))) {
            return -1;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(keys.get(0))) {
                return i;
            }
        }
        return -1;
    }

    private boolean sortable(String key) {
        return column(key).map(c -> !c.type().equals("SUPER")).orElse(false);
    }

    /** The names of the source columns whose target names collide with another column's (must be none). */
    Set<String> collisions() {
        Set<String> seen = new HashSet<>();
        Set<String> collide = new HashSet<>();
        for (TargetColumn c : columns) {
            if (!seen.add(c.name())) {
                collide.add(c.name());
            }
        }
        return collide;
    }
}

package io.zeroetl.redshift.internal;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.TableSchema;
import io.zeroetl.spi.ColumnMapping;
import io.zeroetl.redshift.Distribution;
import io.zeroetl.spi.TypeMapper;
import java.util.ArrayList;
import java.util.List;

/** A source table's target: where it lives and how each source column lands. Immutable. */
final class TargetTable {
    /** One target column: its name, mapping and the source column position it comes from. */
    record TargetColumn(String name, ColumnMapping mapping, int sourceIndex, boolean key) {
    }

    /** History mode's columns (see {@code DeleteMode.HISTORY}): a table with all three keeps every version. */
    static final String ACTIVE = "_record_is_active";
    static final String CREATE_TIME = "_record_create_time";
    static final String DELETE_TIME = "_record_delete_time";
    /** Soft deletes' columns (see {@code DeleteMode.SOFT}). */
    static final String DELETED = "_zeroetl_deleted";
    static final String DELETED_AT = "_zeroetl_deleted_at";

    final TableId source;
    final String schema;
    final String name;
    final TableSchema sourceSchema;
    final List<TargetColumn> columns;
    final List<String> keys;
    final Distribution distribution;

    private TargetTable(TableId source, String schema, String name, TableSchema sourceSchema,
                        List<TargetColumn> columns, List<String> keys, Distribution distribution) {
        this.distribution = distribution;
        this.source = source;
        this.schema = schema;
        this.name = name;
        this.sourceSchema = sourceSchema;
        this.columns = List.copyOf(columns);
        this.keys = List.copyOf(keys);
    }

    static TargetTable of(TableSchema schema, String targetSchema, TypeMapper mapper,
                          Distribution distribution) {
        List<TargetColumn> columns = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            Column c = schema.columns().get(i);
            boolean key = c.key();
            columns.add(new TargetColumn(c.name(), mapper.map(schema.table(), c), i, key));
            if (key) {
                keys.add(c.name());
            }
        }
        return new TargetTable(schema.table(), targetSchema != null ? targetSchema : schema.table().schema(),
                schema.table().table(), schema, columns, keys, distribution);
    }

    /** This table after {@code renames} (old column name to new). */
    TargetTable renamed(java.util.Map<String, String> renames) {
        List<TargetColumn> columns = new ArrayList<>();
        for (TargetColumn c : this.columns) {
            columns.add(new TargetColumn(renames.getOrDefault(c.name(), c.name()), c.mapping(), c.sourceIndex(), c.key()));
        }
        List<Column> source = new ArrayList<>();
        for (Column c : sourceSchema.columns()) {
            source.add(new Column(renames.getOrDefault(c.name(), c.name()), c.type(), c.key(), c.nullable()));
        }
        List<String> renamedKeys = keys.stream().map(k -> renames.getOrDefault(k, k)).toList();
        return new TargetTable(this.source, schema, name, new TableSchema(this.source, source, sourceSchema.identity()),
                columns, renamedKeys, distribution);
    }

    /** The same table under another name (in the same schema). */
    TargetTable named(String other) {
        return new TargetTable(source, schema, other, sourceSchema, columns, keys, distribution);
    }

    /** Whether the table keeps every version (history mode) instead of one row per key. */
    boolean history() {
        List<String> names = columnNames();
        return names.contains(ACTIVE) && names.contains(CREATE_TIME) && names.contains(DELETE_TIME);
    }

    /** Whether deletes only mark rows (soft deletes). */
    boolean softDeletes() {
        List<String> names = columnNames();
        return names.contains(DELETED) && names.contains(DELETED_AT);
    }

    String qualified() {
        return Sql.qualified(schema, name);
    }

    List<String> columnNames() {
        return columns.stream().map(TargetColumn::name).toList();
    }

    /** CREATE TABLE with the key declared (informational in Redshift) and used as distribution and sort key. */
    String createSql() {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(qualified()).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            TargetColumn c = columns.get(i);
            sql.append(i == 0 ? "" : ", ").append(Sql.id(c.name())).append(' ').append(c.mapping().targetType());
            if (c.key()) {
                sql.append(" NOT NULL");
            }
        }
        if (!keys.isEmpty() && !history()) {
            sql.append(", PRIMARY KEY (").append(Sql.list(keys)).append(')');
        }
        sql.append(')');
        Distribution style = distribution != null ? distribution
                : keys.isEmpty() ? Distribution.AUTO : Distribution.KEY;
        if (style == Distribution.KEY && !keys.isEmpty() && distributable(keys.get(0))) {
            sql.append(" DISTSTYLE KEY DISTKEY(").append(Sql.id(keys.get(0))).append(')');
        } else {
            sql.append(" DISTSTYLE ").append(style == Distribution.KEY ? "AUTO" : style.name());
        }
        if (!keys.isEmpty() && keys.stream().allMatch(this::distributable)) {
            sql.append(" COMPOUND SORTKEY(").append(Sql.list(keys)).append(')');
        }
        return sql.toString();
    }

    private boolean distributable(String key) {
        return columns.stream().filter(c -> c.name().equals(key)).noneMatch(c -> c.mapping().targetType().equals("SUPER"));
    }
}

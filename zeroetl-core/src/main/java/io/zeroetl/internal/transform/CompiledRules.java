package io.zeroetl.internal.transform;

import io.zeroetl.DeleteMode;
import io.zeroetl.Naming;
import io.zeroetl.RowView;
import io.zeroetl.TableId;
import io.zeroetl.TableRules;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.Row;
import io.zeroetl.change.TableSchema;
import io.zeroetl.change.ValueType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** A table's rules compiled against one version of its source schema: the target schema and how rows map. */
final class CompiledRules {
    /** What a change contributes to the added columns. */
    record Context(Instant commitTime, long commitLsn, boolean deleted) {}

    /** Thrown when a rule needs a value the source did not resend (unchanged TOAST). */
    static final class UnchangedInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnchangedInput(String column) {
            super(column, null, false, false);
        }
    }

    private interface Producer {
        Object value(Row source, RowView view, Context context);
    }

    private record Out(Column column, Producer producer, boolean fromSource) {}

    private static final ColumnType BOOLEAN = ColumnType.of(ValueType.BOOLEAN);
    private static final ColumnType INT64 = ColumnType.of(ValueType.INT64);
    private static final ColumnType POINT_IN_TIME = ColumnType.of(ValueType.OFFSET_DATE_TIME);
    private static final ColumnType STRING = ColumnType.of(ValueType.STRING);

    final TableSchema source;
    final TableSchema target;
    final TableRules rules;
    final RowFilter filter;
    private final List<Out> outs;
    private final Map<String, String> targetNames;

    private CompiledRules(
            TableSchema source,
            TableSchema target,
            TableRules rules,
            RowFilter filter,
            List<Out> outs,
            Map<String, String> targetNames) {
        this.source = source;
        this.target = target;
        this.rules = rules;
        this.filter = filter;
        this.outs = outs;
        this.targetNames = targetNames;
    }

    /** The target table of {@code table} under {@code rules} and {@code naming}. */
    static TableId targetId(TableId table, TableRules rules, Naming naming) {
        return TableId.of(
                rules.targetSchema() != null ? rules.targetSchema() : table.schema(),
                rules.targetName() != null ? rules.targetName() : naming.table(table.table()));
    }

    /**
     * Compiles {@code rules} for {@code source}.
     *
     * @throws IllegalArgumentException naming a column the rules refer to that the table lacks, or a
     *     conflict (key left out, two columns with one name)
     */
    static CompiledRules compile(TableSchema source, TableRules rules, Naming naming, UnaryOperator<String> folding) {
        TableId table = source.table();
        List<String> named = new ArrayList<>();
        if (rules.columns() != null) {
            named.addAll(rules.columns());
        }
        named.addAll(rules.excluded());
        named.addAll(rules.renames().keySet());
        named.addAll(rules.masked());
        named.addAll(rules.hashed());
        named.addAll(rules.conversions().keySet());
        for (String name : named) {
            if (source.position(name).isEmpty()) {
                throw new IllegalArgumentException("no column " + name + " in " + table + " (its columns: "
                        + source.columns().stream().map(Column::name).toList() + ")");
            }
        }
        RowFilter filter = rules.filterExpression() == null ? null : RowFilter.parse(rules.filterExpression(), source);
        List<Out> outs = new ArrayList<>();
        Map<String, String> targetNames = new HashMap<>();
        for (int i = 0; i < source.columns().size(); i++) {
            Column c = source.columns().get(i);
            boolean kept = (rules.columns() == null || rules.columns().contains(c.name()))
                    && !rules.excluded().contains(c.name());
            if (!kept) {
                if (c.key()) {
                    throw new IllegalArgumentException(
                            "key column " + c.name() + " of " + table + " cannot be left out");
                }
                continue;
            }
            String name = rules.renames().getOrDefault(c.name(), naming.column(c.name()));
            targetNames.put(c.name(), name);
            ColumnType type = c.type();
            Function<Object, Object> fn = Function.identity();
            TableRules.Conversion conversion = rules.conversions().get(c.name());
            if (conversion != null) {
                type = ColumnType.of(conversion.type());
                fn = conversion.convert();
            }
            if (rules.masked().contains(c.name())) {
                if (c.key()) {
                    throw new IllegalArgumentException("key column " + c.name() + " of " + table + " cannot be masked"
                            + " (masked keys collide); hash it instead");
                }
                type = isText(type) ? type : STRING;
                fn = fn.andThen(CompiledRules::mask);
            }
            if (rules.hashed().contains(c.name())) {
                type = STRING;
                fn = fn.andThen(CompiledRules::sha256);
            }
            int index = i;
            Function<Object, Object> convert = fn;
            outs.add(new Out(
                    new Column(name, type, c.key(), c.nullable()),
                    (row, view, ctx) -> {
                        Object v = index < row.size() ? row.get(index) : null;
                        return v == null || v == Row.UNCHANGED ? v : convert.apply(v);
                    },
                    true));
        }
        for (TableRules.Computed computed : rules.computed()) {
            outs.add(new Out(
                    new Column(computed.name(), ColumnType.of(computed.type()), false, true),
                    (row, view, ctx) -> computed.value().apply(view),
                    false));
        }
        if (rules.deleteMode() == DeleteMode.SOFT) {
            outs.add(new Out(
                    new Column("_zeroetl_deleted", BOOLEAN, false, true, Column.Role.SOFT_DELETED),
                    (row, view, ctx) -> ctx.deleted(),
                    false));
            outs.add(new Out(
                    new Column("_zeroetl_deleted_at", POINT_IN_TIME, false, true, Column.Role.SOFT_DELETED_AT),
                    (row, view, ctx) -> ctx.deleted() ? utc(ctx.commitTime()) : null,
                    false));
        } else if (rules.deleteMode() == DeleteMode.HISTORY) {
            outs.add(new Out(
                    new Column("_record_is_active", BOOLEAN, false, true, Column.Role.HISTORY_ACTIVE),
                    (row, view, ctx) -> !ctx.deleted(),
                    false));
            outs.add(new Out(
                    new Column("_record_create_time", POINT_IN_TIME, false, true, Column.Role.HISTORY_START),
                    (row, view, ctx) -> utc(ctx.commitTime()),
                    false));
            outs.add(new Out(
                    new Column("_record_delete_time", POINT_IN_TIME, false, true, Column.Role.HISTORY_END),
                    (row, view, ctx) -> null,
                    false));
        }
        if (rules.metadataColumns()) {
            outs.add(new Out(
                    new Column("_zeroetl_synced_at", POINT_IN_TIME, false, true, Column.Role.APPLIED_AT),
                    (row, view, ctx) -> OffsetDateTime.now(ZoneOffset.UTC),
                    false));
            outs.add(new Out(
                    new Column("_zeroetl_lsn", INT64, false, true, Column.Role.COMMIT_POSITION),
                    (row, view, ctx) -> ctx.commitLsn(),
                    false));
        }
        Map<String, String> seen = new HashMap<>();
        for (Out out : outs) {
            String folded = folding.apply(out.column().name());
            String other = seen.put(folded, out.column().name());
            if (other != null) {
                throw new IllegalArgumentException("two target columns of " + table + " would be named " + other
                        + " and " + out.column().name() + " (the target takes them for one name); rename one");
            }
        }
        TableSchema target = new TableSchema(
                targetId(table, rules, naming), outs.stream().map(Out::column).toList(), source.identity());
        return new CompiledRules(source, target, rules, filter, List.copyOf(outs), targetNames);
    }

    /** The target name of source column {@code name}, or null when it is left out. */
    String targetName(String name) {
        return targetNames.get(name);
    }

    /** Whether the row passes the filters (a filter reading an unchanged value throws {@link UnchangedInput}). */
    boolean accepts(Row row) {
        RowView view = view(row);
        return (filter == null || filter.test(view))
                && (rules.filter() == null || rules.filter().test(view));
    }

    /** The target row for {@code row}. */
    Row map(Row row, Context context) {
        RowView view = view(row);
        Object[] values = new Object[outs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = outs.get(i).producer().value(row, view, context);
        }
        return Row.of(values);
    }

    /**
     * The target row of a soft delete: the key's values, the deletion marks and metadata, every other value
     * left as it is in the target ({@link Row#UNCHANGED}).
     */
    Row softDelete(Row oldRow, Context context) {
        RowView view = view(oldRow);
        Object[] values = new Object[outs.size()];
        for (int i = 0; i < values.length; i++) {
            Out out = outs.get(i);
            Column.Role role = out.column().role();
            boolean added = role == Column.Role.SOFT_DELETED
                    || role == Column.Role.SOFT_DELETED_AT
                    || role == Column.Role.APPLIED_AT
                    || role == Column.Role.COMMIT_POSITION;
            values[i] = out.column().key() || added ? out.producer().value(oldRow, view, context) : Row.UNCHANGED;
        }
        return Row.of(values);
    }

    private RowView view(Row row) {
        return name -> {
            int position = source.position(name)
                    .orElseThrow(() -> new IllegalArgumentException("no column " + name + " in " + source.table()));
            Object v = position < row.size() ? row.get(position) : null;
            if (v == Row.UNCHANGED) {
                throw new UnchangedInput(name);
            }
            return v;
        };
    }

    private static boolean isText(ColumnType type) {
        return type.kind() == ColumnType.Kind.BASE && type.value() == ValueType.STRING;
    }

    private static Object mask(Object value) {
        String s = value instanceof byte[] b ? HexFormat.of().formatHex(b) : value.toString();
        return "*".repeat(s.codePointCount(0, s.length()));
    }

    private static Object sha256(Object value) {
        byte[] bytes = value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

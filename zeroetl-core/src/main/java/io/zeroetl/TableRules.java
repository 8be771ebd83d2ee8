package io.zeroetl;

import io.zeroetl.change.ValueType;
import io.zeroetl.internal.transform.RuleValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How one source table is shaped on its way to the target: which columns, under which names, which rows,
 * computed and converted columns, masking, the delete mode and metadata columns. Built through
 * {@link PipelineBuilder#table(String, java.util.function.Consumer)}; checked at {@code start()} against
 * the source's real columns.
 *
 * <pre>{@code
 * .table("public.orders", t -> t
 *         .targetName("fact_orders")
 *         .toDate("order_date")                    // order_date lands as DATE
 *         .filter("total_amount > 100 AND customer_name <> 'test'")
 *         .excludeColumns("internal_note")
 *         .hash("email")
 *         .deleteMode(DeleteMode.SOFT))
 * }</pre>
 *
 * <p>Order of application: the row filter (on source values), computed columns (from source values),
 * conversions, masking and hashing, column selection, renames and the pipeline's {@link Naming}, then the
 * delete-mode and metadata columns. Immutable.
 */
public final class TableRules {
    /** A column computed from the source row. */
    public record Computed(String name, ValueType type, Function<RowView, Object> value) {}

    /** A column whose values are converted to {@code type}. */
    public record Conversion(ValueType type, Function<Object, Object> convert) {}

    private final List<String> columns;
    private final Set<String> excluded;
    private final Map<String, String> renames;
    private final Set<String> masked;
    private final Set<String> hashed;
    private final String targetSchema;
    private final String targetName;
    private final String filterExpression;
    private final Predicate<RowView> filter;
    private final List<Computed> computed;
    private final Map<String, Conversion> conversions;
    private final DeleteMode deleteMode;
    private final boolean metadataColumns;

    private TableRules(Builder b) {
        this.columns = b.columns == null ? null : List.copyOf(b.columns);
        this.excluded = Set.copyOf(b.excluded);
        this.renames = Map.copyOf(b.renames);
        this.masked = Set.copyOf(b.masked);
        this.hashed = Set.copyOf(b.hashed);
        this.targetSchema = b.targetSchema;
        this.targetName = b.targetName;
        this.filterExpression = b.filterExpression;
        this.filter = b.filter;
        this.computed = List.copyOf(b.computed);
        this.conversions = Map.copyOf(b.conversions);
        this.deleteMode = b.deleteMode;
        this.metadataColumns = b.metadataColumns;
    }

    /** No rules: the table lands as it is. */
    public static final TableRules NONE = new Builder().build();

    /**
     * A builder.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the columns to keep (in source order), or null for all} */
    public List<String> columns() {
        return columns;
    }

    /** {@return columns left out} */
    public Set<String> excluded() {
        return excluded;
    }

    /**
     * Source column name to target column name.
     *
     * @return the renames; empty when none
     */
    public Map<String, String> renames() {
        return renames;
    }

    /** {@return columns whose characters are replaced by {@code *} (length kept)} */
    public Set<String> masked() {
        return masked;
    }

    /** {@return columns replaced by the SHA-256 of their text (hex)} */
    public Set<String> hashed() {
        return hashed;
    }

    /** {@return the target schema, or null for the target's default} */
    public String targetSchema() {
        return targetSchema;
    }

    /** {@return the target table name, or null for the source's (after {@link Naming})} */
    public String targetName() {
        return targetName;
    }

    /** {@return the row filter expression, or null} */
    public String filterExpression() {
        return filterExpression;
    }

    /** {@return the row filter predicate, or null} */
    public Predicate<RowView> filter() {
        return filter;
    }

    /**
     * Computed columns, in order.
     *
     * @return the computed columns; empty when none
     */
    public List<Computed> computed() {
        return computed;
    }

    /**
     * Converted columns by source name.
     *
     * @return the conversions; empty when none
     */
    public Map<String, Conversion> conversions() {
        return conversions;
    }

    /** {@return the delete mode} */
    public DeleteMode deleteMode() {
        return deleteMode;
    }

    /** {@return whether {@code _zeroetl_synced_at} and {@code _zeroetl_lsn} are added} */
    public boolean metadataColumns() {
        return metadataColumns;
    }

    /** {@return whether these rules change anything} */
    public boolean isIdentity() {
        return columns == null
                && excluded.isEmpty()
                && renames.isEmpty()
                && masked.isEmpty()
                && hashed.isEmpty()
                && targetSchema == null
                && targetName == null
                && filterExpression == null
                && filter == null
                && computed.isEmpty()
                && conversions.isEmpty()
                && deleteMode == DeleteMode.HARD
                && !metadataColumns;
    }

    /** {@return whether the target holds exactly the source's rows (no filter, hard deletes)} */
    public boolean keepsRows() {
        return filterExpression == null && filter == null && deleteMode == DeleteMode.HARD;
    }

    /** Builds {@link TableRules}; each setter checks its argument and names the option it rejects. */
    public static final class Builder {
        private List<String> columns;
        private final Set<String> excluded = new LinkedHashSet<>();
        private final Map<String, String> renames = new LinkedHashMap<>();
        private final Set<String> masked = new LinkedHashSet<>();
        private final Set<String> hashed = new LinkedHashSet<>();
        private String targetSchema;
        private String targetName;
        private String filterExpression;
        private Predicate<RowView> filter;
        private final List<Computed> computed = new ArrayList<>();
        private final Map<String, Conversion> conversions = new LinkedHashMap<>();
        private DeleteMode deleteMode = DeleteMode.HARD;
        private boolean metadataColumns;

        private Builder() {}

        /**
         * Keeps only these source columns (the key must be among them).
         *
         * @param names the source columns to keep
         * @return this builder
         */
        public Builder columns(String... names) {
            this.columns = List.of(names);
            return this;
        }

        /**
         * Leaves these source columns out (not the key).
         *
         * @param names the source columns to leave out
         * @return this builder
         */
        public Builder excludeColumns(String... names) {
            excluded.addAll(List.of(names));
            return this;
        }

        /**
         * The source column {@code from} lands as {@code to}.
         *
         * @param from the source column
         * @param to its name in the target
         * @return this builder
         */
        public Builder renameColumn(String from, String to) {
            renames.put(Objects.requireNonNull(from, "renameColumn"), RuleValues.name(to, "renameColumn"));
            return this;
        }

        /**
         * Every character of the column's values becomes {@code *} (NULL stays NULL).
         *
         * @param column the source column
         * @return this builder
         */
        public Builder mask(String column) {
            masked.add(Objects.requireNonNull(column, "mask"));
            return this;
        }

        /**
         * The column's values become the SHA-256 (hex) of their text (NULL stays NULL).
         *
         * @param column the source column
         * @return this builder
         */
        public Builder hash(String column) {
            hashed.add(Objects.requireNonNull(column, "hash"));
            return this;
        }

        /**
         * The table lands in this schema.
         *
         * @param schema the target schema
         * @return this builder
         */
        public Builder targetSchema(String schema) {
            this.targetSchema = RuleValues.name(schema, "targetSchema");
            return this;
        }

        /**
         * The table lands under this name.
         *
         * @param table the target table's name
         * @return this builder
         */
        public Builder targetName(String table) {
            this.targetName = RuleValues.name(table, "targetName");
            return this;
        }

        /**
         * Only rows matching {@code expression} land, e.g. {@code "amount > 100 AND region = 'EU'"}: columns,
         * literals (numbers, 'strings', TRUE, FALSE, NULL), {@code = <> != < <= > >=}, {@code IS [NOT] NULL},
         * {@code [NOT] IN (...)}, {@code [NOT] LIKE}, {@code BETWEEN}, {@code AND OR NOT} and parentheses;
         * SQL's NULL logic. Parsed and type-checked at start. An update moving a row into the filter lands
         * as an insert, out of it as a delete.
         *
         * @param expression the row filter
         * @return this builder
         */
        public Builder filter(String expression) {
            this.filterExpression = Objects.requireNonNull(expression, "filter");
            return this;
        }

        /**
         * Only rows {@code predicate} accepts land (with {@link #filter(String)}: both must accept).
         *
         * @param predicate accepts the rows to land
         * @return this builder
         */
        public Builder filter(Predicate<RowView> predicate) {
            this.filter = Objects.requireNonNull(predicate, "filter");
            return this;
        }

        /**
         * Adds column {@code name} computed from the source row; the target maps its type from {@code type}.
         *
         * @param name the new column's name
         * @param type what its values are (the function returns that value type's Java class)
         * @param value computes its value from the row (null for NULL)
         * @return this builder
         */
        public Builder compute(String name, ValueType type, Function<RowView, Object> value) {
            computed.add(new Computed(
                    RuleValues.name(name, "compute"),
                    Objects.requireNonNull(type, "compute"),
                    Objects.requireNonNull(value)));
            return this;
        }

        /**
         * The column's values are converted by {@code convert} to {@code type}; the target maps its type from it.
         *
         * @param column the source column
         * @param type what its values become (the function returns that value type's Java class)
         * @param convert converts a non-null value
         * @return this builder
         */
        public Builder convert(String column, ValueType type, Function<Object, Object> convert) {
            conversions.put(
                    Objects.requireNonNull(column, "convert"),
                    new Conversion(Objects.requireNonNull(type, "convert"), Objects.requireNonNull(convert)));
            return this;
        }

        /**
         * A timestamp (or timestamptz, taken in UTC) column lands as a DATE.
         *
         * @param column the source column
         * @return this builder
         */
        public Builder toDate(String column) {
            return convert(column, ValueType.DATE, RuleValues::toDate);
        }

        /**
         * What a source DELETE does.
         *
         * @param mode the delete mode (default {@link DeleteMode#HARD})
         * @return this builder
         */
        public Builder deleteMode(DeleteMode mode) {
            this.deleteMode = Objects.requireNonNull(mode, "deleteMode");
            return this;
        }

        /**
         * Adds {@code _zeroetl_synced_at} (when the change was applied) and {@code _zeroetl_lsn} (its commit).
         *
         * @return this builder
         */
        public Builder metadataColumns() {
            this.metadataColumns = true;
            return this;
        }

        /**
         * The rules.
         *
         * @return this builder
         */
        public TableRules build() {
            return new TableRules(this);
        }
    }
}

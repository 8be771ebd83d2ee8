package io.zeroetl.redshift.internal;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The names of one table's staged rows in a batch and of everything the merge SQL derives from them. They
 * name their columns by position ({@code c1}, {@code c2}, ...) after three of their own ({@code zeroetl_seq},
 * {@code zeroetl_op}, {@code zeroetl_unchanged}), so no user column name ever appears in them and none can
 * collide with ours. Their name, and every alias the merge uses, starts with a prefix that the target table's
 * own name does not start with, so an unqualified reference can never mean the target.
 *
 * <p>The rows are either a temporary table of their own ({@code shared} null) or one part of the batch's
 * {@link SharedStage}: then {@link #from()} reads them as a derived table of that name, so a merge's SQL is
 * the same either way, and only {@link #deleteUsing()} names the shared table itself.
 *
 * @param shared the part of the shared staging table holding the rows, or null
 */
record StageTable(String name, int number, TargetTable table, Part shared) {
    /**
     * One table's rows in the shared staging table {@code table}: those whose {@code zeroetl_part} is the staging
     * number, target column {@code i} in the typed column of index {@code slots.get(i)}.
     */
    record Part(String table, List<Integer> slots) {
        String slot(int column) {
            return SharedStage.column(slots.get(column));
        }
    }

    static final String SEQ = "zeroetl_seq";
    static final String OP = "zeroetl_op";
    static final String UNCHANGED = "zeroetl_unchanged";

    /**
     * A staging table for {@code table}, numbered {@code number} or higher: a number whose name the target
     * table's own name starts with is skipped. The caller numbers the next one after {@link #number()}, so two
     * staging tables of one session never share a name (a table called {@code zeroetl_stage_1} pushes its
     * staging table to number 2, and the next table's to 3).
     */
    static StageTable of(TargetTable table, int number) {
        int n = number;
        while (table.name.startsWith("zeroetl_stage_" + n)) {
            n++;
        }
        return new StageTable("zeroetl_stage_" + n, n, table, null);
    }

    /** These rows as part {@code number} of the shared staging table {@code table}, in typed columns {@code slots}. */
    StageTable in(String table, List<Integer> slots) {
        return new StageTable(name, number, this.table, new Part(table, List.copyOf(slots)));
    }

    /** The same names for a temporary table of their own (what {@link #select()} fills from a shared part). */
    StageTable own() {
        return new StageTable(name, number, table, null);
    }

    /** The staging rows as a FROM item: the table of their own, or their part of the shared one named as it. */
    String from() {
        return shared == null ? id() : "(" + select() + ") AS " + id();
    }

    /** A query giving the rows of the shared part with the columns of a table of their own. */
    String select() {
        StringBuilder sb = new StringBuilder("SELECT " + SEQ + ", " + OP + ", " + UNCHANGED);
        for (int i = 0; i < table.columns.size(); i++) {
            sb.append(", ").append(shared.slot(i)).append(" AS ").append(column(i));
        }
        return sb.append(" FROM ")
                .append(Sql.id(shared.table))
                .append(" WHERE ")
                .append(SharedStage.PART)
                .append(" = ")
                .append(number)
                .toString();
    }

    /**
     * {@code USING <staging> WHERE <the target's key matches>}: the staging rows for a DELETE of the target
     * rows they touch. r_DELETE takes tables in USING, so a shared part is the shared table with its part's
     * condition.
     */
    String deleteUsing() {
        if (shared == null) {
            return "USING " + id() + " WHERE " + keysMatch(id());
        }
        String st = Sql.id(shared.table);
        return "USING " + st + " WHERE " + st + "." + SharedStage.PART + " = " + number + " AND "
                + keysMatch(st, shared::slot);
    }

    /** The staging column of target column {@code index}. */
    static String column(int index) {
        return "c" + (index + 1);
    }

    /** The quoted staging table name. */
    String id() {
        return Sql.id(name);
    }

    /** A quoted name derived from the staging table's, for an alias or a helper table. */
    String derived(String suffix) {
        return Sql.id(name + "_" + suffix);
    }

    /** {@code <stage>.c<i>} for target column {@code index}. */
    String ref(int index) {
        return id() + "." + column(index);
    }

    /** {@code "<target table>"."<column>"}: a target column, qualified by the target's bare name. */
    String target(String column) {
        return Sql.id(table.name) + "." + Sql.id(column);
    }

    /** The staging columns of every target column: {@code c1, c2, ...}. */
    String dataColumns() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < table.columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(column(i));
        }
        return sb.toString();
    }

    /** The staging columns of the key, in key order. */
    String keyColumns() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < table.columns.size(); i++) {
            if (table.columns.get(i).key()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(column(i));
            }
        }
        return sb.toString();
    }

    /** {@code "<target>"."k" = <alias>.c<i> AND ...} over the key, {@code alias} a quoted name. */
    String keysMatch(String alias) {
        return keysMatch(alias, StageTable::column);
    }

    /** {@code "<target>"."k" = <alias>.<column(i)> AND ...} over the key of target columns {@code i}. */
    private String keysMatch(String alias, IntFunction<String> column) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < table.columns.size(); i++) {
            TargetTable.TargetColumn c = table.columns.get(i);
            if (c.key()) {
                sb.append(sb.length() == 0 ? "" : " AND ")
                        .append(target(c.name()))
                        .append(" = ")
                        .append(alias)
                        .append('.')
                        .append(column.apply(i));
            }
        }
        return sb.toString();
    }

    /** The index of the column with {@code name}. */
    int indexOf(String name) {
        for (int i = 0; i < table.columns.size(); i++) {
            if (table.columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + name);
    }
}

package io.zeroetl.redshift.internal;

/**
 * The names of one staging table and of everything the merge SQL derives from it. The staging table names
 * its columns by position ({@code c1}, {@code c2}, ...) after three of its own ({@code zeroetl_seq},
 * {@code zeroetl_op}, {@code zeroetl_unchanged}), so no user column name ever appears in it and none can
 * collide with ours. Its name, and every alias the merge uses, starts with a prefix that the target table's
 * own name does not start with, so an unqualified reference can never mean the target.
 */
record StageTable(String name, int number, TargetTable table) {
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
        return new StageTable("zeroetl_stage_" + n, n, table);
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
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < table.columns.size(); i++) {
            TargetTable.TargetColumn c = table.columns.get(i);
            if (c.key()) {
                sb.append(sb.length() == 0 ? "" : " AND ")
                        .append(target(c.name()))
                        .append(" = ")
                        .append(alias)
                        .append('.')
                        .append(column(i));
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

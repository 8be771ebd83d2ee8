package io.zeroetl.redshift.internal;

import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one temporary staging table that the batches of a session share for all their tables, so that a batch
 * sends no DDL per table and loads every table's rows with one load: each row carries its table's part number
 * ({@link #PART}) and its values in typed columns ({@code v1}, {@code v2}, ...) assigned by type, one per
 * column of a table, reused by every table with a column of that type. A table whose layout needs a column of
 * a type not yet there gets it by {@code ALTER TABLE ... ADD COLUMN} (r_ALTER_TABLE: one column per statement,
 * allowed inside a transaction), once per session; after that the table is kept and only emptied, by one
 * DELETE in each batch's transaction.
 *
 * <p>It lives in the session (a temporary table: r_CREATE_TABLE_NEW), outside any batch: a batch whose
 * transaction rolls back leaves it in a state this does not know (created or not, rows or not), so after a
 * failure the applier ends the session ({@link #forget()}), and the next one creates the table afresh. It is never
 * dropped by name: a name that does not resolve to a temporary table would resolve to a user's table.
 */
final class SharedStage {
    /** The column that says which table (and which part of a batch) a staged row belongs to. */
    static final String PART = "zeroetl_part";
    /** Redshift's most columns a table has (r_CREATE_TABLE_NEW), less the four of staging's own. */
    private static final int MAX_SLOTS = 1_600 - 4;

    private final String name;
    /** The type of each typed column, {@code v1} first. */
    private final List<String> slotTypes = new ArrayList<>();
    /** The typed columns (their indexes) each layout's columns go to, once assigned. */
    private final Map<TargetTable, List<Integer>> assigned = new IdentityHashMap<>();
    /** The connection whose session holds the table as this knows it; null when none is known to. */
    private Connection on;
    /** How many typed columns the table has in that session. */
    private int created;

    SharedStage(String name) {
        this.name = name;
    }

    /** The table's quoted name. */
    String id() {
        return Sql.id(name);
    }

    /** The table's name. */
    String name() {
        return name;
    }

    /**
     * The typed columns {@code layout}'s columns go to, or null when its rows must be staged in a table of
     * their own: its name starts with the shared table's (an unqualified reference could mean either), or
     * the shared table would need more columns than a table has.
     */
    List<Integer> slots(TargetTable layout) {
        List<Integer> known = assigned.get(layout);
        if (known != null || layout.name.startsWith(name)) {
            return known;
        }
        List<Integer> slots = new ArrayList<>();
        List<String> wanted = new ArrayList<>(slotTypes);
        for (TargetTable.TargetColumn column : layout.columns) {
            String type = slotType(column.type());
            int slot = -1;
            for (int k = 0; k < wanted.size() && slot < 0; k++) {
                if (wanted.get(k).equals(type) && !slots.contains(k)) {
                    slot = k;
                }
            }
            if (slot < 0) {
                wanted.add(type);
                slot = wanted.size() - 1;
            }
            slots.add(slot);
        }
        if (wanted.size() > MAX_SLOTS) {
            return null;
        }
        slotTypes.clear();
        slotTypes.addAll(wanted);
        assigned.put(layout, List.copyOf(slots));
        return assigned.get(layout);
    }

    /**
     * Makes sure the table is there in {@code c}'s session with every typed column assigned so far: created when
     * this does not know it there (a new session), else grown.
     */
    void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (on != c) {
                on = null;
                StringBuilder sql = new StringBuilder("CREATE TEMP TABLE ").append(id());
                String separator = " (";
                for (StagingLoader.Column column : columns(0)) {
                    sql.append(separator)
                            .append(column.quotedName())
                            .append(' ')
                            .append(column.type());
                    separator = ", ";
                }
                s.execute(sql.append(')').toString());
                on = c;
                created = slotTypes.size();
                return;
            }
            for (; created < slotTypes.size(); created++) {
                s.execute("ALTER TABLE " + id() + " ADD COLUMN " + column(created) + " " + slotTypes.get(created));
            }
        }
    }

    /** Its columns: the part, sequence, operation and unchanged marks, then every typed column from {@code from}. */
    List<StagingLoader.Column> columns(int from) {
        List<StagingLoader.Column> columns = new ArrayList<>();
        if (from == 0) {
            columns.add(new StagingLoader.Column(PART, "INTEGER"));
            columns.add(new StagingLoader.Column(StageTable.SEQ, "BIGINT"));
            columns.add(new StagingLoader.Column(StageTable.OP, "CHAR(1)"));
            columns.add(new StagingLoader.Column(StageTable.UNCHANGED, "VARCHAR(65535)"));
        }
        for (int k = from; k < slotTypes.size(); k++) {
            columns.add(new StagingLoader.Column(column(k), slotTypes.get(k)));
        }
        return columns;
    }

    /** How many typed columns there are. */
    int width() {
        return slotTypes.size();
    }

    /**
     * Forgets the table: a rollback left it in a state this does not know. {@return whether it was there in a
     * session} (which must end, so that the next has none)
     */
    boolean forget() {
        boolean known = on != null;
        on = null;
        return known;
    }

    /** The name of typed column {@code slot} (its index). */
    static String column(int slot) {
        return "v" + (slot + 1);
    }

    /**
     * The staging type of a target type: VARCHAR of any length is staged as VARCHAR(65535) (the value is within
     * its column's length already, and the merge's INSERT holds it to it), so tables with text columns of
     * different lengths share their columns; every other type as it is, so a value is read exactly as a table
     * of its own would read it.
     */
    static String slotType(String type) {
        return type.startsWith("VARCHAR") ? "VARCHAR(65535)" : type;
    }
}

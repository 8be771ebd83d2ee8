package io.zeroetl.redshift.internal;

import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One table's changes in one batch, loaded into a temporary staging table by the {@link StagingLoader}
 * in bounded chunks; then merged into the target: unchanged TOAST values filled,
 * every touched key deleted, each key's last version inserted.
 */
final class Staging {
    private static final int MAX_ROWS = 1_000;
    private static final long MAX_BUFFER_CHARS = 4L << 20;
    /** Key moves of one row with unchanged values followed within one batch (more are filled as NULL). */
    private static final int MAX_MOVE_ROUNDS = 8;

    private final Connection connection;
    private final TargetTable table;
    private final String name;
    private final StagingLoader loader;
    private final List<String[]> buffer = new ArrayList<>();
    private final Set<Integer> unchangedColumns = new LinkedHashSet<>();
    private long bufferChars;
    private boolean created;
    private long rows;

    Staging(Connection connection, TargetTable table, int number, StagingLoader loader) {
        this.loader = loader;
        this.connection = connection;
        this.table = table;
        this.name = "zeroetl_stage_" + number;
    }

    TargetTable table() {
        return table;
    }

    /**
     * Stages one version of a row: op U (insert or update), D (delete), M (the old key of a key move whose
     * new row did not resend some values) or V (that move's new row), with the target values as text (null
     * for SQL NULL), and the positions of values that did not change (unchanged TOAST).
     */
    void add(long seq, char op, String[] values, List<Integer> unchanged) throws SQLException {
        String[] row = new String[values.length + 3];
        row[0] = Long.toString(seq);
        row[1] = String.valueOf(op);
        StringBuilder marks = new StringBuilder(",");
        for (int i : unchanged) {
            marks.append(i).append(',');
            unchangedColumns.add(i);
        }
        row[2] = marks.toString();
        System.arraycopy(values, 0, row, 3, values.length);
        buffer.add(row);
        for (String v : values) {
            bufferChars += v == null ? 1 : v.length();
        }
        rows++;
        if (buffer.size() >= MAX_ROWS || bufferChars >= MAX_BUFFER_CHARS) {
            flush();
        }
    }

    long rows() {
        return rows;
    }

    /** Loads what is buffered. */
    void flush() throws SQLException {
        if (buffer.isEmpty()) {
            return;
        }
        create();
        loader.load(connection, Sql.id(name), columns(), buffer);
        buffer.clear();
        bufferChars = 0;
    }

    private List<StagingLoader.Column> columns() {
        List<StagingLoader.Column> columns = new ArrayList<>();
        columns.add(new StagingLoader.Column("zeroetl_seq", "BIGINT"));
        columns.add(new StagingLoader.Column("zeroetl_op", "VARCHAR(1)"));
        columns.add(new StagingLoader.Column("zeroetl_unchanged", "VARCHAR(65535)"));
        for (TargetTable.TargetColumn c : table.columns) {
            columns.add(new StagingLoader.Column(Sql.id(c.name()), c.mapping().targetType()));
        }
        return columns;
    }

    /** Applies the staged changes to the target and drops the staging table. */
    void merge() throws SQLException {
        flush();
        if (!created) {
            return;
        }
        String stage = Sql.id(name);
        String target = table.qualified();
        try (Statement s = connection.createStatement()) {
            for (int column : unchangedColumns) {
                fillUnchanged(s, stage, target, column);
            }
            if (table.history()) {
                mergeHistory(s, stage, target);
            } else {
                s.executeUpdate("DELETE FROM " + target + " USING " + stage + " WHERE "
                        + Sql.keysEqual(target, stage, table.keys));
                String columns = Sql.list(table.columnNames());
                s.executeUpdate("INSERT INTO " + target + " (" + columns + ") SELECT " + columns + " FROM (SELECT "
                        + columns + ", zeroetl_op, ROW_NUMBER() OVER (PARTITION BY " + Sql.list(table.keys)
                        + " ORDER BY zeroetl_seq DESC) AS zeroetl_rn FROM " + stage + ") AS zeroetl_last"
                        + " WHERE zeroetl_rn = 1 AND zeroetl_op IN ('U', 'V')");
            }
            s.execute("DROP TABLE " + stage);
        }
        created = false;
    }

    /**
     * History mode: the active version of every touched key is closed at the time of the batch's first
     * change to it, and every staged version is inserted, closed at the time of the next one (active when
     * it is the last).
     */
    private void mergeHistory(Statement s, String stage, String target) throws SQLException {
        String keys = Sql.list(table.keys);
        String active = Sql.id(TargetTable.ACTIVE);
        String created = Sql.id(TargetTable.CREATE_TIME);
        String deleted = Sql.id(TargetTable.DELETE_TIME);
        s.executeUpdate("UPDATE " + target + " SET " + active + " = FALSE, " + deleted + " = zeroetl_first." + created
                + " FROM (SELECT " + keys + ", " + created + ", ROW_NUMBER() OVER (PARTITION BY " + keys
                + " ORDER BY zeroetl_seq) AS zeroetl_rn FROM " + stage + ") AS zeroetl_first WHERE zeroetl_first.zeroetl_rn = 1"
                + " AND " + Sql.keysEqual(target, "zeroetl_first", table.keys) + " AND " + target + "." + active);
        StringBuilder select = new StringBuilder();
        for (String name : table.columnNames()) {
            select.append(select.length() == 0 ? "" : ", ");
            if (name.equals(TargetTable.ACTIVE)) {
                select.append("CASE WHEN zeroetl_next IS NULL THEN TRUE ELSE FALSE END");
            } else if (name.equals(TargetTable.DELETE_TIME)) {
                select.append("zeroetl_next");
            } else {
                select.append(Sql.id(name));
            }
        }
        String columns = Sql.list(table.columnNames());
        s.executeUpdate("INSERT INTO " + target + " (" + columns + ") SELECT " + select + " FROM (SELECT " + columns
                + ", zeroetl_op, LEAD(" + created + ") OVER (PARTITION BY " + keys + " ORDER BY zeroetl_seq) AS zeroetl_next"
                + " FROM " + stage + ") AS zeroetl_versions WHERE zeroetl_op IN ('U', 'V')");
    }

    /**
     * A value the source did not resend is the value of the row's latest earlier version in this batch
     * that has it, or else the target's current value. The new row of a key move (V) takes it from the
     * old key's row (M, just before it), once that one is filled; then later versions of the new key can
     * take it from there, hence the rounds.
     */
    private void fillUnchanged(Statement s, String stage, String target, int column) throws SQLException {
        String c = Sql.id(table.columns.get(column).name());
        String mark = "'%," + column + ",%'";
        String unmark = "zeroetl_unchanged = REPLACE(" + stage + ".zeroetl_unchanged, '," + column + ",', ',')";
        String keys = Sql.list(table.keys);
        String source = Sql.id(name + "_src");
        for (int round = 0; round < MAX_MOVE_ROUNDS; round++) {
            s.execute("CREATE TEMP TABLE " + source + " AS SELECT zeroetl_seq, MAX(CASE WHEN zeroetl_unchanged NOT LIKE "
                    + mark + " AND zeroetl_op IN ('U', 'V') THEN zeroetl_seq END) OVER (PARTITION BY " + keys
                    + " ORDER BY zeroetl_seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS zeroetl_from,"
                    + " MAX(CASE WHEN zeroetl_op = 'V' THEN zeroetl_seq END) OVER (PARTITION BY " + keys
                    + " ORDER BY zeroetl_seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS zeroetl_moved FROM " + stage);
            s.executeUpdate("UPDATE " + stage + " SET " + c + " = zeroetl_prev." + c + ", " + unmark + " FROM " + source
                    + ", " + stage + " AS zeroetl_prev WHERE " + source + ".zeroetl_seq = " + stage + ".zeroetl_seq"
                    + " AND zeroetl_prev.zeroetl_seq = " + source + ".zeroetl_from AND " + stage + ".zeroetl_op <> 'V'"
                    + " AND " + stage + ".zeroetl_unchanged LIKE " + mark);
            if (round == 0) {
                s.executeUpdate("UPDATE " + stage + " SET " + c + " = " + target + "." + c + ", " + unmark + " FROM "
                        + source + ", " + target + " WHERE " + source + ".zeroetl_seq = " + stage + ".zeroetl_seq AND "
                        + source + ".zeroetl_from IS NULL AND " + source + ".zeroetl_moved IS NULL AND " + stage
                        + ".zeroetl_unchanged LIKE " + mark + " AND " + Sql.keysEqual(target, stage, table.keys)
                        + (table.history() ? " AND " + target + "." + Sql.id(TargetTable.ACTIVE) : ""));
            }
            s.execute("DROP TABLE " + source);
            int moved = s.executeUpdate("UPDATE " + stage + " SET " + c + " = zeroetl_old." + c + ", " + unmark
                    + " FROM " + stage + " AS zeroetl_old WHERE zeroetl_old.zeroetl_seq = " + stage + ".zeroetl_seq - 1"
                    + " AND zeroetl_old.zeroetl_op = 'M' AND zeroetl_old.zeroetl_unchanged NOT LIKE " + mark + " AND "
                    + stage + ".zeroetl_op = 'V' AND " + stage + ".zeroetl_unchanged LIKE " + mark);
            if (moved == 0) {
                return;
            }
        }
    }

    private void create() throws SQLException {
        if (created) {
            return;
        }
        StringBuilder sql = new StringBuilder("CREATE TEMP TABLE ").append(Sql.id(name))
                .append(" (zeroetl_seq BIGINT, zeroetl_op CHAR(1), zeroetl_unchanged VARCHAR(65535)");
        for (TargetTable.TargetColumn c : table.columns) {
            sql.append(", ").append(Sql.id(c.name())).append(' ').append(c.mapping().targetType());
        }
        try (Statement s = connection.createStatement()) {
            s.execute(sql.append(')').toString());
        }
        created = true;
    }
}

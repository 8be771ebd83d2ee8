package io.zeroetl.redshift.internal;

import io.zeroetl.TableFailedException;
import io.zeroetl.change.Column;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills the values a source did not resend (PostgreSQL's unchanged TOAST) in a staging table, column by
 * column: from the row's latest earlier version in the batch that has the value, else from the target's
 * current row; the new key of a key move ({@link StagedOp#MOVE_IN}) takes them from its old key
 * ({@link StagedOp#MOVE_OUT}, just before it), and later versions of the new key from there — hence rounds,
 * as many as the batch's chain of moves needs (never a fixed limit). A value that is still missing after
 * that has no source at all: the table fails with the reason rather than take a NULL.
 */
final class UnchangedFill {
    private UnchangedFill() {}

    static void fill(Statement s, StageTable stage, int column) throws SQLException {
        TargetTable table = stage.table();
        String c = StageTable.column(column);
        String target = stage.target(table.columns.get(column).name());
        String mark = "'%," + column + ",%'";
        String st = stage.id();
        String unmark =
                StageTable.UNCHANGED + " = REPLACE(" + st + "." + StageTable.UNCHANGED + ", '," + column + ",', ',')";
        String keys = stage.keyColumns();
        String from = stage.derived("src");
        String prev = stage.derived("prev");
        String old = stage.derived("old");
        String landing = StagedOp.landingCodes();
        for (int round = 0; ; round++) {
            s.execute("CREATE TEMP TABLE " + from + " AS SELECT " + StageTable.SEQ + ", MAX(CASE WHEN "
                    + StageTable.UNCHANGED + " NOT LIKE " + mark + " AND " + StageTable.OP + " IN " + landing
                    + " THEN " + StageTable.SEQ + " END) OVER (PARTITION BY " + keys + " ORDER BY " + StageTable.SEQ
                    + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS zeroetl_from, MAX(CASE WHEN "
                    + StageTable.OP + " = " + StagedOp.MOVE_IN.literal() + " THEN " + StageTable.SEQ
                    + " END) OVER (PARTITION BY " + keys + " ORDER BY " + StageTable.SEQ
                    + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS zeroetl_moved FROM " + st);
            s.executeUpdate("UPDATE " + st + " SET " + c + " = " + prev + "." + c + ", " + unmark + " FROM " + from
                    + ", " + st + " AS " + prev + " WHERE " + from + "." + StageTable.SEQ + " = " + st + "."
                    + StageTable.SEQ + " AND " + prev + "." + StageTable.SEQ + " = " + from + ".zeroetl_from AND "
                    + st + "." + StageTable.OP + " <> " + StagedOp.MOVE_IN.literal() + " AND " + st + "."
                    + StageTable.UNCHANGED + " LIKE " + mark);
            if (round == 0) {
                String active = table.column(Column.Role.HISTORY_ACTIVE)
                        .map(a -> " AND " + stage.target(a.name()))
                        .orElse("");
                s.executeUpdate("UPDATE " + st + " SET " + c + " = " + target + ", " + unmark + " FROM " + from
                        + ", " + table.qualified() + " WHERE " + from + "." + StageTable.SEQ + " = " + st + "."
                        + StageTable.SEQ + " AND " + from + ".zeroetl_from IS NULL AND " + from
                        + ".zeroetl_moved IS NULL AND " + st + "." + StageTable.UNCHANGED + " LIKE " + mark + " AND "
                        + stage.keysMatch(st) + active);
            }
            s.execute("DROP TABLE " + from);
            int moved = s.executeUpdate("UPDATE " + st + " SET " + c + " = " + old + "." + c + ", " + unmark
                    + " FROM " + st + " AS " + old + " WHERE " + old + "." + StageTable.SEQ + " = " + st + "."
                    + StageTable.SEQ + " - 1 AND " + old + "." + StageTable.OP + " = " + StagedOp.MOVE_OUT.literal()
                    + " AND " + old + "." + StageTable.UNCHANGED + " NOT LIKE " + mark + " AND " + st + "."
                    + StageTable.OP + " = " + StagedOp.MOVE_IN.literal() + " AND " + st + "." + StageTable.UNCHANGED
                    + " LIKE " + mark);
            if (moved == 0) {
                break;
            }
        }
        dropUnmarkable(s, stage, mark);
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + st + " WHERE " + StageTable.UNCHANGED + " LIKE "
                + mark + " AND " + StageTable.OP + " IN " + landing)) {
            rs.next();
            long missing = rs.getLong(1);
            if (missing > 0) {
                throw new TableFailedException(
                        table.source,
                        missing + " row version(s) lack the value of column "
                                + table.columns.get(column).name()
                                + ": the source did not resend it (an unchanged TOAST"
                                + " value) and neither the batch nor the target holds an earlier version of the row (e.g. a"
                                + " row that moved into a row filter). Set REPLICA IDENTITY FULL on the source table so"
                                + " updates carry every value, then resync the table");
            }
        }
    }

    /**
     * A soft delete of a row the target never held (e.g. one outside the row filter) has nothing to mark:
     * it is dropped from the staging table instead of landing as a row of NULLs.
     */
    private static void dropUnmarkable(Statement s, StageTable stage, String mark) throws SQLException {
        TargetTable.TargetColumn flag =
                stage.table().column(Column.Role.SOFT_DELETED).orElse(null);
        if (flag == null) {
            return;
        }
        int deleted = stage.indexOf(flag.name());
        s.executeUpdate("DELETE FROM " + stage.id() + " WHERE " + StageTable.UNCHANGED + " LIKE " + mark + " AND "
                + StageTable.column(deleted) + " = TRUE");
    }
}

package io.zeroetl.redshift.internal;

import io.zeroetl.TableFailedException;
import io.zeroetl.change.Column;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills the values a source did not resend (PostgreSQL's unchanged TOAST) in a staging table, column by
 * column. A version takes the value of its key's latest earlier version in the batch that defines it — one
 * that has the value, or the new key of a key move ({@link StagedOp#MOVE_IN}), which brings the value of its
 * old key ({@link StagedOp#MOVE_OUT}, just before it) — once that one has it; a version with no earlier one
 * in the batch takes the target's current row. So a key vacated by a move and taken again by another move in
 * the same batch gives each of its incarnations its own value, never an older incarnation's. Rounds repeat
 * while they fill something, as many as the batch's chain of moves needs (never a fixed limit). A value still
 * missing after that has no source at all: the table fails with the reason rather than take a NULL.
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
        String moveIn = StagedOp.MOVE_IN.literal();
        for (int round = 0; ; round++) {
            // the latest earlier version of the key that defines the value (marked rows after a move wait for it)
            s.execute("CREATE TEMP TABLE " + from + " AS SELECT " + StageTable.SEQ + ", MAX(CASE WHEN "
                    + StageTable.OP + " IN " + landing + " AND (" + StageTable.UNCHANGED + " NOT LIKE " + mark + " OR "
                    + StageTable.OP + " = " + moveIn + ") THEN " + StageTable.SEQ + " END) OVER (PARTITION BY " + keys
                    + " ORDER BY " + StageTable.SEQ + " ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS"
                    + " zeroetl_from FROM " + st);
            int filled = s.executeUpdate("UPDATE " + st + " SET " + c + " = " + prev + "." + c + ", " + unmark
                    + " FROM " + from + ", " + st + " AS " + prev + " WHERE " + from + "." + StageTable.SEQ + " = "
                    + st + "." + StageTable.SEQ + " AND " + prev + "." + StageTable.SEQ + " = " + from
                    + ".zeroetl_from AND " + prev + "." + StageTable.UNCHANGED + " NOT LIKE " + mark + " AND " + st
                    + "." + StageTable.OP + " <> " + moveIn + " AND " + st + "." + StageTable.UNCHANGED + " LIKE "
                    + mark);
            if (round == 0) {
                String active = table.column(Column.Role.HISTORY_ACTIVE)
                        .map(a -> " AND " + stage.target(a.name()))
                        .orElse("");
                filled += s.executeUpdate("UPDATE " + st + " SET " + c + " = " + target + ", " + unmark + " FROM "
                        + from + ", " + table.qualified() + " WHERE " + from + "." + StageTable.SEQ + " = " + st + "."
                        + StageTable.SEQ + " AND " + from + ".zeroetl_from IS NULL AND " + st + "." + StageTable.OP
                        + " <> " + moveIn + " AND " + st + "." + StageTable.UNCHANGED + " LIKE " + mark + " AND "
                        + stage.keysMatch(st) + active);
            }
            s.execute("DROP TABLE " + from);
            filled += s.executeUpdate("UPDATE " + st + " SET " + c + " = " + old + "." + c + ", " + unmark
                    + " FROM " + st + " AS " + old + " WHERE " + old + "." + StageTable.SEQ + " = " + st + "."
                    + StageTable.SEQ + " - 1 AND " + old + "." + StageTable.OP + " = " + StagedOp.MOVE_OUT.literal()
                    + " AND " + old + "." + StageTable.UNCHANGED + " NOT LIKE " + mark + " AND " + st + "."
                    + StageTable.OP + " = " + moveIn + " AND " + st + "." + StageTable.UNCHANGED + " LIKE " + mark);
            if (filled == 0) {
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

package io.zeroetl.redshift.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * A table without a key (REPLICA IDENTITY FULL, no primary key) is a multiset: identical rows are separate
 * copies. Each insert stages one copy to add ({@link StagedOp#ADD}), each delete one copy to remove
 * ({@link StagedOp#REMOVE}), an update both. Per distinct row the batch's net count decides: copies are
 * appended from the staged adds, or removed by keeping all but that many of the target's copies (Redshift
 * has no row id to delete one copy by). Rows compare NULL-safely column by column, SUPER values by their
 * serialized form (so a keyless table's SUPER values must fit JSON_SERIALIZE's VARCHAR: JSON_SERIALIZE).
 * A TRUNCATE deletes every row.
 */
final class MultisetMerge implements MergeStrategy {
    static final MultisetMerge INSTANCE = new MultisetMerge();

    private MultisetMerge() {}

    @Override
    public void merge(Statement s, StageTable stage) throws SQLException {
        TargetTable t = stage.table();
        String data = stage.dataColumns();
        String groups = groups(stage, null);
        String sign = "CASE WHEN " + StageTable.OP + " = " + StagedOp.ADD.literal() + " THEN 1 ELSE -1 END";
        String removed = stage.derived("removed");
        String kept = stage.derived("kept");
        s.execute("CREATE TEMP TABLE " + removed + " AS SELECT " + data + ", zeroetl_delta FROM (SELECT " + data
                + ", SUM(" + sign + ") OVER (PARTITION BY " + groups + ") AS zeroetl_delta, ROW_NUMBER() OVER"
                + " (PARTITION BY " + groups + " ORDER BY " + StageTable.SEQ + ") AS zeroetl_rn FROM " + stage.from()
                + ") AS " + stage.derived("net") + " WHERE zeroetl_rn = 1 AND zeroetl_delta < 0");
        StringBuilder targetAsStage = new StringBuilder();
        for (int i = 0; i < t.columns.size(); i++) {
            targetAsStage
                    .append(i == 0 ? "" : ", ")
                    .append(stage.target(t.columns.get(i).name()))
                    .append(" AS ")
                    .append(StageTable.column(i));
        }
        s.execute("CREATE TEMP TABLE " + kept + " AS SELECT " + data + " FROM (SELECT " + targetAsStage
                + ", ROW_NUMBER() OVER (PARTITION BY " + groups(stage, t) + ") AS zeroetl_rn, " + removed
                + ".zeroetl_delta FROM " + t.qualified() + ", " + removed + " WHERE " + same(stage, removed)
                + ") AS " + stage.derived("copies") + " WHERE zeroetl_rn > -zeroetl_delta");
        s.executeUpdate("DELETE FROM " + t.qualified() + " USING " + removed + " WHERE " + same(stage, removed));
        String columns = Sql.list(t.columnNames());
        s.executeUpdate("INSERT INTO " + t.qualified() + " (" + columns + ") SELECT " + data + " FROM " + kept);
        s.executeUpdate("INSERT INTO " + t.qualified() + " (" + columns + ") SELECT " + data + " FROM (SELECT " + data
                + ", " + StageTable.OP + ", SUM(" + sign + ") OVER (PARTITION BY " + groups + ") AS zeroetl_delta,"
                + " ROW_NUMBER() OVER (PARTITION BY " + groups + ", " + StageTable.OP + " ORDER BY " + StageTable.SEQ
                + ") AS zeroetl_rn FROM " + stage.from() + ") AS " + stage.derived("added") + " WHERE "
                + StageTable.OP + " = " + StagedOp.ADD.literal() + " AND zeroetl_rn <= zeroetl_delta");
        s.execute("DROP TABLE " + removed);
        s.execute("DROP TABLE " + kept);
    }

    /** The partition expressions of a row: its values (from the target's columns when {@code target} is set). */
    private static String groups(StageTable stage, TargetTable target) {
        TargetTable t = stage.table();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.columns.size(); i++) {
            String ref = target == null
                    ? StageTable.column(i)
                    : stage.target(t.columns.get(i).name());
            sb.append(i == 0 ? "" : ", ").append(comparable(t.columns.get(i), ref));
        }
        return sb.toString();
    }

    /** The target row equals the row of {@code other} (quoted), NULL-safely, column by column. */
    private static String same(StageTable stage, String other) {
        TargetTable t = stage.table();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.columns.size(); i++) {
            TargetTable.TargetColumn c = t.columns.get(i);
            String mine = stage.target(c.name());
            String theirs = other + "." + StageTable.column(i);
            sb.append(i == 0 ? "" : " AND ")
                    .append("(")
                    .append(comparable(c, mine))
                    .append(" = ")
                    .append(comparable(c, theirs))
                    .append(" OR (")
                    .append(mine)
                    .append(" IS NULL AND ")
                    .append(theirs)
                    .append(" IS NULL))");
        }
        return sb.toString();
    }

    private static String comparable(TargetTable.TargetColumn c, String ref) {
        return c.type().equals("SUPER") ? "JSON_SERIALIZE(" + ref + ")" : ref;
    }

    @Override
    public void truncate(Connection c, TargetTable table, Instant time) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + table.qualified());
        }
    }
}

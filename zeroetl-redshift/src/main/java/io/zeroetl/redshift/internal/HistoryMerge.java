package io.zeroetl.redshift.internal;

import io.zeroetl.change.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * History mode (AWS zero-ETL's): the active version of every touched key is closed at the time of the
 * batch's first change to it, and every staged version is appended, closed at the time of the next one
 * (active when it is the last). A TRUNCATE closes every active version.
 */
final class HistoryMerge implements MergeStrategy {
    static final HistoryMerge INSTANCE = new HistoryMerge();

    private HistoryMerge() {}

    @Override
    public void merge(Statement s, StageTable stage) throws SQLException {
        TargetTable t = stage.table();
        TargetTable.TargetColumn active = t.column(Column.Role.HISTORY_ACTIVE).orElseThrow();
        TargetTable.TargetColumn end = t.column(Column.Role.HISTORY_END).orElseThrow();
        String start = StageTable.column(
                stage.indexOf(t.column(Column.Role.HISTORY_START).orElseThrow().name()));
        String keys = stage.keyColumns();
        String first = stage.derived("first");
        s.executeUpdate("UPDATE " + t.qualified() + " SET " + Sql.id(active.name()) + " = FALSE, "
                + Sql.id(end.name()) + " = " + first + "." + start + " FROM (SELECT " + keys + ", " + start
                + ", ROW_NUMBER() OVER (PARTITION BY " + keys + " ORDER BY " + StageTable.SEQ + ") AS zeroetl_rn FROM "
                + stage.from() + ") AS " + first + " WHERE " + first + ".zeroetl_rn = 1 AND " + stage.keysMatch(first)
                + " AND " + stage.target(active.name()));
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < t.columns.size(); i++) {
            Column.Role role = t.columns.get(i).role();
            select.append(i == 0 ? "" : ", ");
            if (role == Column.Role.HISTORY_ACTIVE) {
                select.append("CASE WHEN zeroetl_next IS NULL THEN TRUE ELSE FALSE END");
            } else if (role == Column.Role.HISTORY_END) {
                select.append("zeroetl_next");
            } else {
                select.append(StageTable.column(i));
            }
        }
        s.executeUpdate("INSERT INTO " + t.qualified() + " (" + Sql.list(t.columnNames()) + ") SELECT " + select
                + " FROM (SELECT " + stage.dataColumns() + ", " + StageTable.OP + ", LEAD(" + start + ") OVER"
                + " (PARTITION BY " + keys + " ORDER BY " + StageTable.SEQ + ") AS zeroetl_next FROM " + stage.from()
                + ") AS " + stage.derived("versions") + " WHERE " + StageTable.OP + " IN " + StagedOp.landingCodes());
    }

    @Override
    public void truncate(Connection c, TargetTable table, Instant time) throws SQLException {
        String active =
                Sql.id(table.column(Column.Role.HISTORY_ACTIVE).orElseThrow().name());
        String end = Sql.id(table.column(Column.Role.HISTORY_END).orElseThrow().name());
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table.qualified() + " SET " + active + " = FALSE, "
                + end + " = CAST(? AS TIMESTAMPTZ) WHERE " + active)) {
            ps.setString(1, TargetValues.timestampTz(time.atOffset(ZoneOffset.UTC)));
            ps.executeUpdate();
        }
    }
}

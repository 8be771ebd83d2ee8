package io.zeroetl.redshift.internal;

import io.zeroetl.change.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * One row per key (hard or soft deletes): every touched key is deleted, then each key's last version is
 * inserted unless it is a delete — the staging pattern AWS documents (merge-replacing-existing-rows) with
 * the batch deduplicated by key. A TRUNCATE deletes every row (Redshift's own TRUNCATE would commit the
 * batch's transaction: r_TRUNCATE), or under soft deletes marks every row deleted.
 */
final class KeyedMerge implements MergeStrategy {
    static final KeyedMerge INSTANCE = new KeyedMerge();

    private KeyedMerge() {}

    @Override
    public void merge(Statement s, StageTable stage) throws SQLException {
        TargetTable t = stage.table();
        s.executeUpdate("DELETE FROM " + t.qualified() + " " + stage.deleteUsing());
        String data = stage.dataColumns();
        s.executeUpdate("INSERT INTO " + t.qualified() + " (" + Sql.list(t.columnNames()) + ") SELECT " + data
                + " FROM (SELECT " + data + ", " + StageTable.OP + ", ROW_NUMBER() OVER (PARTITION BY "
                + stage.keyColumns() + " ORDER BY " + StageTable.SEQ + " DESC) AS zeroetl_rn FROM " + stage.from()
                + ") AS " + stage.derived("last") + " WHERE zeroetl_rn = 1 AND " + StageTable.OP + " IN "
                + StagedOp.landingCodes());
    }

    @Override
    public void truncate(Connection c, TargetTable table, Instant time) throws SQLException {
        Optional<TargetTable.TargetColumn> deleted = table.column(Column.Role.SOFT_DELETED);
        Optional<TargetTable.TargetColumn> deletedAt = table.column(Column.Role.SOFT_DELETED_AT);
        if (deleted.isEmpty()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + table.qualified());
            }
            return;
        }
        String flag = Sql.id(deleted.get().name());
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table.qualified() + " SET " + flag + " = TRUE"
                + deletedAt
                        .map(a -> ", " + Sql.id(a.name()) + " = CAST(? AS TIMESTAMPTZ)")
                        .orElse("")
                + " WHERE " + flag + " IS NULL OR NOT " + flag)) {
            if (deletedAt.isPresent()) {
                ps.setString(1, TargetValues.timestampTz(time.atOffset(ZoneOffset.UTC)));
            }
            ps.executeUpdate();
        }
    }
}

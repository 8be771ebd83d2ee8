package io.zeroetl.redshift.internal;

import io.zeroetl.TableFailedException;
import io.zeroetl.TableId;
import io.zeroetl.spi.ApplierContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target table of a source table renamed and followed (ALTER TABLE ... RENAME TO, SET SCHEMA, ALTER SCHEMA
 * ... RENAME) takes the new name in the batch's transaction, its rows and privileges kept. Within one schema that
 * is ALTER TABLE ... RENAME TO (r_ALTER_TABLE: the new name is not schema-qualified). Redshift has no ALTER TABLE
 * ... SET SCHEMA, so a move to another schema creates the table there (r_CREATE_TABLE_NEW), copies the rows
 * inside the target (r_INSERT_30), gives the same privileges (r_GRANT) and drops the old table (r_DROP_TABLE):
 * ALTER TABLE APPEND would move the rows without copying them, but cannot run inside a transaction block
 * (r_ALTER_TABLE_APPEND).
 */
final class TableRenames {
    private static final Logger LOG = LoggerFactory.getLogger(TableRenames.class);

    private TableRenames() {}

    /**
     * Refuses to follow the rename of target table {@code from} to {@code to} when per-table settings name the new
     * name otherwise than the old one's apply: followed, the table's settings would change without a word (its
     * own settings go with it by the name it was first replicated under: {@link ApplierContext#settingsName}). It
     * fails alone, and the new name is replicated as a table of its own.
     */
    static void checkSettings(ApplierSettings settings, ApplierContext context, TableId from, TableId to) {
        TableId renamed = context.sourceTable(to);
        for (Map<TableId, ?> named : List.of(settings.policies(), settings.distributions())) {
            Object had = named.get(context.settingsName(from, named.keySet()));
            if (named.containsKey(renamed) && !Objects.equals(named.get(renamed), had)) {
                throw new TableFailedException(
                        from,
                        "renamed at the source to " + renamed + ", and the target settings (valuePolicy,"
                                + " distribution) name " + renamed + " otherwise than this table had: the new name is"
                                + " replicated as a table of its own from here (copied afresh)");
            }
        }
    }

    /**
     * Gives the target table {@code from} the name of {@code to} (its layout there); {@code table} is the table's
     * target id before the rename, which fails alone when the new name is taken in the target.
     */
    static void rename(Connection c, TableId table, TargetTable from, TargetTable to) throws SQLException {
        List<String> existing = TargetCatalog.targetColumns(c, from);
        if (existing.isEmpty()) {
            // nothing of it in the target yet (its first rows create it under the new name)
            return;
        }
        if (!TargetCatalog.targetColumns(c, to).isEmpty()) {
            throw new TableFailedException(
                    table,
                    "renamed at the source, and the target already has a table " + to.qualified()
                            + " of the new name (not zeroetl's for this table): drop or rename that table, then"
                            + " resync this one");
        }
        try (Statement s = c.createStatement()) {
            if (from.schema.equals(to.schema)) {
                s.execute("ALTER TABLE " + from.qualified() + " RENAME TO " + Sql.id(to.name));
            } else {
                List<TargetGrants.Grant> grants = TargetGrants.read(c, from);
                s.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.id(to.schema));
                s.execute(to.createSql());
                List<String> shared = new ArrayList<>();
                for (TargetTable.TargetColumn column : to.columns) {
                    if (existing.contains(column.name())) {
                        shared.add(Sql.id(column.name()));
                    }
                }
                if (!shared.isEmpty()) {
                    String list = String.join(", ", shared);
                    s.executeUpdate("INSERT INTO " + to.qualified() + " (" + list + ") SELECT " + list + " FROM "
                            + from.qualified());
                }
                TargetDrops.drop(c, from, "it moved to " + to.qualified());
                TargetGrants.give(c, to, grants);
            }
        }
        LOG.info("Renamed {} to {}: the source table was renamed", from.qualified(), to.qualified());
    }
}

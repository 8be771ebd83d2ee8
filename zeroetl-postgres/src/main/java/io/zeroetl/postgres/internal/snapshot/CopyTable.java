package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.ErrorCode;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.Column;
import io.zeroetl.change.TableSchema;
import io.zeroetl.postgres.internal.PgErrors;
import io.zeroetl.postgres.internal.types.PgTypes;
import io.zeroetl.postgres.internal.types.ValueDecoder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as the copy sees it inside the exported snapshot: its columns as the stream would describe them
 * (not dropped, not generated; the key is the replica identity's columns, and for REPLICA IDENTITY FULL the
 * primary key's, as the decoder does), how each column's text decodes, its size and row estimate.
 */
final class CopyTable {
    final TableId table;
    final TableSchema schema;
    final ValueDecoder[] decoders;
    final long blocks;
    final long estimatedRows;
    /** The table's file in the snapshot: a new one means its rows were rewritten (or truncated) wholesale. */
    final long fileNode;

    private CopyTable(
            TableId table,
            TableSchema schema,
            ValueDecoder[] decoders,
            long blocks,
            long estimatedRows,
            long fileNode) {
        this.table = table;
        this.fileNode = fileNode;
        this.schema = schema;
        this.decoders = decoders;
        this.blocks = blocks;
        this.estimatedRows = estimatedRows;
    }

    /** The table; {@code generated}: whether the stream publishes generated columns (PostgreSQL 18+). */
    static CopyTable describe(Connection c, TableId table, PgTypes types, boolean generated) throws SQLException {
        int relid;
        char identity;
        long blocks;
        long estimate;
        long fileNode;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cl.oid::int, cl.relreplident, cl.relfilenode::bigint,"
                        + " pg_relation_size(cl.oid) / current_setting('block_size')::int, "
                        // never analyzed (reltuples -1): the statistics' live-tuple count, which inserts keep current
                        // a partitioned table: its partitions' estimates
                        + " CASE WHEN cl.relkind = 'p' THEN (SELECT coalesce(sum(greatest(p.reltuples, 0)), 0)::bigint"
                        + " FROM pg_partition_tree(cl.oid) t JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf)"
                        + " WHEN cl.reltuples >= 0 THEN cl.reltuples::bigint ELSE coalesce((SELECT nullif(s.n_live_tup, 0)"
                        + " FROM pg_stat_all_tables s WHERE s.relid = cl.oid), CASE WHEN pg_relation_size(cl.oid) = 0 THEN 0"
                        + " ELSE -1 END) END"
                        + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ? AND cl.relname = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                relid = rs.getInt(1);
                identity = rs.getString(2).charAt(0);
                fileNode = rs.getLong(3);
                blocks = rs.getLong(4);
                estimate = rs.getLong(5);
            }
        }
        List<Column> columns = new ArrayList<>();
        List<ValueDecoder> decoders = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, a.atttypid::int, a.atttypmod,"
                + " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid"
                + " AND a.attnum = ANY (i.indkey) AND CASE WHEN ? = 'i' THEN i.indisreplident ELSE i.indisprimary END)"
                + " FROM pg_attribute a WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped"
                // stored generated columns are published from PostgreSQL 18 on; virtual ones never are
                + (generated ? " AND a.attgenerated IN ('', 's')" : " AND a.attgenerated = ''")
                + " ORDER BY a.attnum")) {
            ps.setString(1, String.valueOf(identity));
            ps.setInt(2, relid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PgTypes.Info info = types.info(rs.getInt(2));
                    boolean key = identity != 'n' && rs.getBoolean(4);
                    columns.add(new Column(rs.getString(1), info.columnType(rs.getInt(2), rs.getInt(3)), key, true));
                    decoders.add(info.decoder());
                }
            }
        }
        TableSchema.ReplicaIdentity replicaIdentity = switch (identity) {
            case 'f' -> TableSchema.ReplicaIdentity.FULL;
            case 'i' -> TableSchema.ReplicaIdentity.INDEX;
            case 'n' -> TableSchema.ReplicaIdentity.NOTHING;
            default -> TableSchema.ReplicaIdentity.DEFAULT;
        };
        return new CopyTable(
                table,
                new TableSchema(table, columns, replicaIdentity),
                decoders.toArray(new ValueDecoder[0]),
                blocks,
                estimate < 0 ? -1 : estimate,
                fileNode);
    }

    /** The COPY statement for blocks {@code [from, to)} ({@code to} -1: to the end). */
    String copySql(long from, long to) {
        StringBuilder select = new StringBuilder("COPY (SELECT ");
        List<Column> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            select.append(i == 0 ? "" : ", ").append(quote(columns.get(i).name()));
        }
        select.append(" FROM ").append(table.quoted());
        if (from > 0 || to >= 0) {
            select.append(" WHERE ctid >= '(").append(from).append(",0)'::tid");
            if (to >= 0) {
                select.append(" AND ctid < '(").append(to).append(",0)'::tid");
            }
        }
        return select.append(") TO STDOUT").toString();
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A failed copy: retriable (the copy starts over), whatever the server said. */
    static RuntimeException failure(SQLException e) {
        ZeroEtlException classified = PgErrors.classify("copying a table", e);
        return classified.isRetriable()
                ? classified
                : new RetriableException(
                        ErrorCode.CONNECTION, "The initial copy failed (" + e.getMessage() + "); it starts over", e);
    }

    /**
     * With {@code raw} (a SQL_ASCII database), {@code c} reads text as stored: converted for a UTF-8 client, one
     * value that is not UTF-8 would fail the whole copy, where read raw it goes to its table's value policy.
     */
    static void readTextAsStored(Connection c, boolean raw) throws SQLException {
        if (raw) {
            try (Statement s = c.createStatement()) {
                s.execute("SET client_encoding = 'SQL_ASCII'");
            }
        }
    }
}

package io.zeroetl.postgres.internal.snapshot;

import io.zeroetl.TableId;
import io.zeroetl.postgres.internal.pgoutput.PgOutputWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as the copy sees it inside the exported snapshot: its columns as pgoutput would describe them
 * (not dropped, not generated; key flags from the replica identity), its size and row estimate.
 */
final class CopyTable {
    final TableId table;
    final int relid;
    final char identity;
    final List<String> columns = new ArrayList<>();
    final byte[] relationMessage;
    final long blocks;
    final long estimatedRows;

    private CopyTable(TableId table, int relid, char identity, long blocks, long estimatedRows, byte[] relation,
                      List<String> columns) {
        this.table = table;
        this.relid = relid;
        this.identity = identity;
        this.blocks = blocks;
        this.estimatedRows = estimatedRows;
        this.relationMessage = relation;
        this.columns.addAll(columns);
    }

    static CopyTable describe(Connection c, TableId table) throws SQLException {
        int relid;
        char identity;
        long blocks;
        long estimate;
        try (PreparedStatement ps = c.prepareStatement("SELECT cl.oid::int, cl.relreplident,"
                + " pg_relation_size(cl.oid) / current_setting('block_size')::int, cl.reltuples::bigint"
                + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = ? AND cl.relname = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                relid = rs.getInt(1);
                identity = rs.getString(2).charAt(0);
                blocks = rs.getLong(3);
                estimate = rs.getLong(4);
            }
        }
        PgOutputWriter relation = PgOutputWriter.relation(relid, table.schema(), table.table(), identity);
        List<Object[]> cols = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, a.atttypid::int, a.atttypmod,"
                + " CASE WHEN ? = 'f' THEN true ELSE EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid"
                + " AND a.attnum = ANY (i.indkey) AND CASE WHEN ? = 'i' THEN i.indisreplident ELSE i.indisprimary END)"
                + " END FROM pg_attribute a WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND a.attgenerated = '' ORDER BY a.attnum")) {
            ps.setString(1, String.valueOf(identity));
            ps.setString(2, String.valueOf(identity));
            ps.setInt(3, relid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(new Object[] {rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getBoolean(4)});
                }
            }
        }
        relation.int16(cols.size());
        List<String> names = new ArrayList<>();
        for (Object[] col : cols) {
            boolean key = identity != 'n' && (Boolean) col[3];
            relation.column(key ? 1 : 0, (String) col[0], (Integer) col[1], (Integer) col[2]);
            names.add((String) col[0]);
        }
        return new CopyTable(table, relid, identity, blocks, estimate < 0 ? -1 : estimate, relation.bytes(), names);
    }

    /** The COPY statement for blocks {@code [from, to)} ({@code to} -1: to the end). */
    String copySql(long from, long to) {
        StringBuilder select = new StringBuilder("COPY (SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            select.append(i == 0 ? "" : ", ").append(quote(columns.get(i)));
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
}

package io.zeroetl.postgres.internal.replication;

import io.zeroetl.TableId;
import io.zeroetl.postgres.internal.pgoutput.PartitionRoutes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partitioned table replicated as one table. Its publication carries the partitioned table, and PostgreSQL
 * (13+) then publishes each change under the partition it happened in — zeroetl keeps it that way
 * ({@code publish_via_partition_root} off): published through the root, a TRUNCATE of one partition would not
 * be published at all, and its rows would stay in the target. The decoder gives each partition's changes to
 * the selected ancestor, by column name (a partition may order its columns otherwise).
 */
public final class Partitions {
    private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);
    /** PostgreSQL adds partitioned tables to publications from 13 on. */
    private static final int PUBLISHED_FROM = 130000;

    private Partitions() {}

    /** The partitions among {@code tables}, each with its ancestors nearest first. */
    public static Map<TableId, List<TableId>> ancestors(Connection c, Set<TableId> tables) throws SQLException {
        Map<TableId, List<TableId>> out = new LinkedHashMap<>();
        if (tables.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, cl.relname, an.nspname, ac.relname"
                + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace"
                + " CROSS JOIN LATERAL pg_partition_ancestors(cl.oid) WITH ORDINALITY a(relid, ord)"
                + " JOIN pg_class ac ON ac.oid = a.relid JOIN pg_namespace an ON an.oid = ac.relnamespace"
                + " WHERE cl.relispartition AND a.relid <> cl.oid"
                + " AND cl.oid IN (SELECT to_regclass(x) FROM unnest(?::text[]) x) ORDER BY 1, 2, a.ord")) {
            ps.setArray(1, names(c, tables));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(TableId.of(rs.getString(1), rs.getString(2)), t -> new ArrayList<>())
                            .add(TableId.of(rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    /**
     * Why the partitioned table {@code table} cannot be replicated as one, or null when it can: the server must
     * publish partitioned tables (13+), and every partition must be stored (not foreign) and identify its rows
     * (its key, as for any table: else the source's own UPDATEs of it would fail once published).
     */
    static String check(Connection c, TableId table) throws SQLException {
        int version = Integer.parseInt(SourceSetup.single(c, "SHOW server_version_num"));
        if (version < PUBLISHED_FROM) {
            return "partitioned: PostgreSQL " + version / 10000 + " cannot publish a partitioned table (13 and later"
                    + " can); select its partitions instead, each is replicated as a table";
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, cl.relname, cl.relkind, cl.relpersistence"
                + " FROM pg_partition_tree(to_regclass(?)) p JOIN pg_class cl ON cl.oid = p.relid"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE p.isleaf ORDER BY 1, 2")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableId partition = TableId.of(rs.getString(1), rs.getString(2));
                    if (rs.getString(3).equals("f")) {
                        return "its partition " + partition + " is a foreign table, whose rows PostgreSQL does not"
                                + " log or publish; detach it, or select the other partitions instead";
                    }
                    if (rs.getString(4).equals("u")) {
                        return "its partition " + partition + " is UNLOGGED (no WAL): ALTER TABLE " + partition.quoted()
                                + " SET LOGGED, then resync the table";
                    }
                    String reason = SourceSetup.identityReason(c, partition);
                    if (reason != null) {
                        return "its partition " + partition + " cannot be replicated: " + reason;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Whether the publication publishes partitions' changes as their root's ({@code publish_via_partition_root}).
     * zeroetl's own publication is set not to; another is taken as it is and its partitioned tables refused.
     */
    static boolean viaRoot(Connection c, String publication, boolean own) throws SQLException {
        if (Integer.parseInt(SourceSetup.single(c, "SHOW server_version_num")) < PUBLISHED_FROM) {
            return false;
        }
        boolean viaRoot;
        try (PreparedStatement ps = c.prepareStatement("SELECT pubviaroot FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                viaRoot = rs.next() && rs.getBoolean(1);
            }
        }
        if (viaRoot && own) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER PUBLICATION " + SourceSetup.quote(publication)
                        + " SET (publish_via_partition_root = false)");
            }
            LOG.warn(
                    "Publication {} published partitions' changes as their root's; it no longer does (a TRUNCATE of"
                            + " one partition would not be published at all)",
                    publication);
            return false;
        }
        return viaRoot;
    }

    /** Why a partitioned table is refused when DDL is not captured. */
    static final String UNCAPTURED = "partitioned: without zeroetl's DDL capture, a partition attached, detached or"
            + " dropped would change its rows unseen; install the DDL trigger (see the README), or select its partitions"
            + " instead";

    /** The reason a partitioned table is refused when its publication publishes through the root. */
    static String viaRootReason(String publication) {
        return "publication " + publication + " publishes partitions' changes as their root's, and so does not"
                + " publish a TRUNCATE of one partition: ALTER PUBLICATION " + SourceSetup.quote(publication)
                + " SET (publish_via_partition_root = false), then resync the table";
    }

    /** Whether {@code table} is a partitioned table. */
    static boolean partitioned(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT relkind FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1).equals("p");
            }
        }
    }

    /**
     * Where the changes of the relation {@code relid} go when it is a partition of a table {@code tables} names by
     * OID (the topmost such ancestor) and not replicated itself; null otherwise, or when it no longer exists. The
     * table is named as {@code tables} names it, and its columns are the catalog's now.
     */
    static PartitionRoutes.Part partOf(Connection c, int relid, IntFunction<TableId> tables) throws SQLException {
        List<Integer> chain = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT a.relid::int FROM pg_partition_ancestors(?::oid) WITH ORDINALITY a(relid, ord) ORDER BY a.ord")) {
            ps.setInt(1, relid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chain.add(rs.getInt(1));
                }
            }
        }
        if (chain.size() < 2 || tables.apply(chain.get(0)) != null) {
            return null;
        }
        Integer root = null;
        for (int ancestor : chain.subList(1, chain.size())) {
            if (tables.apply(ancestor) != null) {
                root = ancestor;
            }
        }
        if (root == null) {
            return null;
        }
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = ?::oid"
                + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setInt(1, root);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return new PartitionRoutes.Part(tables.apply(root), List.copyOf(columns));
    }

    /** The partitioned tables among {@code tables}, by OID. */
    static Map<Integer, TableId> partitionedByOid(Connection c, Set<TableId> tables) throws SQLException {
        Map<Integer, TableId> out = new LinkedHashMap<>();
        if (tables.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT cl.oid::int, n.nspname, cl.relname FROM pg_class cl"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE cl.relkind = 'p'"
                + " AND cl.oid IN (SELECT to_regclass(x) FROM unnest(?::text[]) x)")) {
            ps.setArray(1, names(c, tables));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), TableId.of(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** The routing lookups of a stream, on the metadata connection. */
    static PartitionRoutes.Catalog catalog(MetadataConnection metadata) {
        return new PartitionRoutes.Catalog() {
            @Override
            public PartitionRoutes.Part partOf(int relid, IntFunction<TableId> tables) {
                return metadata.call(c -> Partitions.partOf(c, relid, tables));
            }

            @Override
            public PartitionRoutes.Part partOf(TableId table, IntFunction<TableId> tables) {
                return metadata.call(c -> {
                    Integer relid = oid(c, table);
                    return relid == null ? null : Partitions.partOf(c, relid, tables);
                });
            }

            @Override
            public Integer partitioned(TableId table) {
                return metadata.call(c -> partitionedByOid(c, Set.of(table)).keySet().stream()
                        .findFirst()
                        .orElse(null));
            }
        };
    }

    private static Integer oid(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)::oid::int")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int relid = rs.getInt(1);
                return rs.wasNull() ? null : relid;
            }
        }
    }

    /** The partitioned tables among {@code tables}. */
    static Set<TableId> partitioned(Connection c, Set<TableId> tables) throws SQLException {
        Set<TableId> out = new TreeSet<>();
        if (tables.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, cl.relname FROM pg_class cl"
                + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE cl.relkind = 'p'"
                + " AND cl.oid IN (SELECT to_regclass(x) FROM unnest(?::text[]) x)")) {
            ps.setArray(1, names(c, tables));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(TableId.of(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** The partitions (at any depth) of the partitioned tables among {@code tables}, each with its table. */
    static Map<TableId, TableId> partitionsOf(Connection c, Set<TableId> tables) throws SQLException {
        Map<TableId, TableId> out = new LinkedHashMap<>();
        if (tables.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, cl.relname, pn.nspname, pc.relname"
                + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace"
                + " CROSS JOIN LATERAL pg_partition_tree(cl.oid) t JOIN pg_class pc ON pc.oid = t.relid"
                + " JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE cl.relkind = 'p' AND t.relid <> cl.oid"
                + " AND cl.oid IN (SELECT to_regclass(x) FROM unnest(?::text[]) x)")) {
            ps.setArray(1, names(c, tables));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(TableId.of(rs.getString(3), rs.getString(4)), TableId.of(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    private static Array names(Connection c, Set<TableId> tables) throws SQLException {
        return c.createArrayOf("text", tables.stream().map(TableId::quoted).toArray());
    }
}

package io.zeroetl.postgres.internal.validation;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.TableSchema;
import io.zeroetl.postgres.internal.PgErrors;
import io.zeroetl.postgres.internal.replication.Connections;
import io.zeroetl.postgres.internal.replication.PgWalReader;
import io.zeroetl.postgres.internal.types.PgTypes;
import io.zeroetl.spi.RowDigests;
import io.zeroetl.spi.SourceDigests;
import io.zeroetl.spi.SqlRowDigests;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The source side of a validation: one REPEATABLE READ snapshot at a time, and after taking it a
 * transactional logical message whose commit comes after everything the snapshot sees, so the target
 * holds the snapshot's contents once it has applied past the message.
 */
public final class PgDigests extends SqlRowDigests implements SourceDigests {
    private final Connection snapshot;
    private final Connection marker;
    private final PgTypes types;
    /** Whether the database's text is UTF-8 already; else it is hashed as UTF-8, as the target's is. */
    private final boolean utf8;

    /** Opens the two connections it needs. */
    public PgDigests(Connections connections, PgTypes types) {
        this.types = types;
        this.snapshot = connections.regular();
        Connection m = null;
        try {
            m = connections.regular();
            snapshot.setAutoCommit(false);
            snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            snapshot.setReadOnly(true);
            try (Statement st = m.createStatement();
                    ResultSet rs = st.executeQuery("SHOW server_encoding")) {
                rs.next();
                utf8 = rs.getString(1).equalsIgnoreCase("UTF8");
            }
        } catch (SQLException e) {
            close(snapshot);
            close(m);
            throw PgErrors.classify("opening a validation snapshot on the source", e);
        }
        this.marker = m;
    }

    @Override
    public Lsn refresh() {
        try {
            snapshot.commit();
            try (Statement s = snapshot.createStatement()) {
                s.executeQuery("SELECT 1").close();
            }
            try (Statement s = marker.createStatement();
                    ResultSet rs =
                            s.executeQuery("SELECT pg_logical_emit_message(true, 'zeroetl_validate', '')::text")) {
                rs.next();
                return Lsn.parse(rs.getString(1));
            }
        } catch (SQLException e) {
            throw PgErrors.classify("taking a validation snapshot of the source", e);
        }
    }

    /**
     * Whether an instance of the pipeline is running: it holds the pipeline's lease (an advisory lock it keeps
     * from start to stop, through an initial copy too), or a WAL sender streams from its slot.
     */
    @Override
    public Optional<Boolean> reading(String pipelineId) {
        String slot = PgWalReader.slotName(pipelineId);
        long key = PgWalReader.leaseKey(pipelineId);
        try (PreparedStatement ps = marker.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE"
                + " locktype = 'advisory' AND classid = ? AND objid = ? AND objsubid = 1 AND granted) OR EXISTS"
                + " (SELECT 1 FROM pg_replication_slots WHERE slot_name = ? AND active)")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFF_FFFFL);
            ps.setString(3, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return Optional.of(rs.next() && rs.getBoolean(1));
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<TableSchema> schema(TableId table) {
        try {
            return describe(snapshot, types, table);
        } catch (SQLException e) {
            throw PgErrors.classify("reading the columns of " + table, e);
        }
    }

    /** The table's columns and replica-identity key as the catalog shows them on {@code c}; empty when absent. */
    public static Optional<TableSchema> describe(Connection c, PgTypes types, TableId table) throws SQLException {
        String sql = "SELECT a.attname, a.atttypid, a.atttypmod, NOT a.attnotnull, c.relreplident,"
                + " coalesce(a.attnum = ANY (SELECT unnest(i.indkey) FROM pg_index i WHERE i.indrelid = c.oid"
                + " AND CASE c.relreplident WHEN 'i' THEN i.indisreplident ELSE i.indisprimary END), false)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                // stored generated columns are replicated from PostgreSQL 18 on only, virtual ones never
                + " AND (a.attgenerated = '' OR a.attgenerated = 's'"
                + " AND current_setting('server_version_num')::int >= 180000)"
                + " WHERE n.nspname = ? AND c.relname = ? ORDER BY a.attnum";
        List<Column> columns = new ArrayList<>();
        char identity = 'd';
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PgTypes.Info info = types.info(rs.getInt(2));
                    columns.add(new Column(
                            rs.getString(1),
                            info.columnType(rs.getInt(2), rs.getInt(3)),
                            rs.getBoolean(6),
                            rs.getBoolean(4)));
                    identity = rs.getString(5).charAt(0);
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        TableSchema.ReplicaIdentity id = switch (identity) {
            case 'f' -> TableSchema.ReplicaIdentity.FULL;
            case 'i' -> TableSchema.ReplicaIdentity.INDEX;
            case 'n' -> TableSchema.ReplicaIdentity.NOTHING;
            default -> TableSchema.ReplicaIdentity.DEFAULT;
        };
        return Optional.of(new TableSchema(table, columns, id));
    }

    @Override
    protected Connection connection() {
        return snapshot;
    }

    @Override
    protected String rowsOf(TableSchema table) {
        return inner(table, utf8);
    }

    @Override
    protected String bucketsOf(String rows, int buckets) {
        return "SELECT " + bucket(buckets) + " AS b, count(*),"
                + " sum(CAST(('x' || substr(md5(ch), 1, 15))::bit(60)::bigint AS numeric(38,0)))"
                + " FROM (" + rows + ") s GROUP BY 1";
    }

    @Override
    protected String inBuckets(String rows, int buckets, String which) {
        return "SELECT * FROM (" + rows + ") s WHERE " + bucket(buckets) + " IN (" + which + ")";
    }

    @Override
    protected String withKeys(String rows, String parameters) {
        return "SELECT * FROM (" + rows + ") s WHERE kh IN (" + parameters + ")";
    }

    @Override
    protected RuntimeException failure(String doing, SQLException e) {
        return PgErrors.classify(doing + " in the source", e);
    }

    /** kh (key hash), k0..kn (key texts), ch (row text) per row. */
    private static String inner(TableSchema table, boolean utf8) {
        StringBuilder keyHashes = new StringBuilder();
        StringBuilder keys = new StringBuilder();
        StringBuilder row = new StringBuilder();
        int k = 0;
        for (Column c : table.columns()) {
            // the canonical text's UTF-8 bytes, as the target hashes them, whatever the database's encoding
            String text = utf8 ? canonical(c) : "convert_to(" + canonical(c) + ", 'UTF8')";
            String large = large(c);
            String hash = large == null
                    ? "coalesce(md5(" + text + "), 'n')"
                    : "coalesce(CASE WHEN octet_length(" + large + ") <= "
                            + RowDigests.largeBytes(c.type().name().equals("bytea")) + " THEN md5(" + text + ") ELSE "
                            + pieces(large) + " END, 'n')";
            row.append(row.length() == 0 ? "" : " || ").append(hash);
            if (c.key()) {
                keyHashes.append(keyHashes.length() == 0 ? "" : " || ").append(hash);
                keys.append(", ").append(canonical(c)).append(" AS k").append(k++);
            }
        }
        return "SELECT md5(" + keyHashes + ") AS kh" + keys + ", " + row + " AS ch FROM "
                + id(table.table().schema()) + "." + id(table.table().table());
    }

    private static String bucket(int buckets) {
        return "((('x' || substr(kh, 1, 8))::bit(32)::bigint) % " + buckets + ")";
    }

    /**
     * The bytes a large value is hashed over in pieces (see {@link RowDigests}): a binary value's own bytes, a
     * JSON document's or array's compact serialization; null for columns whose values are never large.
     */
    static String large(Column column) {
        String x = id(column.name());
        ColumnType type = column.type();
        if (type.kind() == ColumnType.Kind.ARRAY) {
            return "convert_to(" + compact(array(x, type)) + ", 'UTF8')";
        }
        if (type.kind() != ColumnType.Kind.BASE) {
            return null;
        }
        return switch (type.name()) {
            case "bytea" -> x;
            case "json", "jsonb" -> "convert_to(" + compact(x + "::jsonb::text") + ", 'UTF8')";
            default -> null;
        };
    }

    /** JSON text as Redshift serializes it: no blank after a comma or colon outside strings. */
    private static String compact(String json) {
        return "regexp_replace(" + json + ", '(\"(?:[^\"\\\\]|\\\\.)*\")|([,:]) ', '\\1\\2', 'g')";
    }

    /** The MD5 of the MD5s of the hex of each successive piece of {@code bytes} (see {@link RowDigests}). */
    private static String pieces(String bytes) {
        int n = RowDigests.PIECE_BYTES;
        return "(SELECT md5(string_agg(md5(encode(substring(" + bytes + " FROM i FOR " + n + "), 'hex')), ''"
                + " ORDER BY i)) FROM generate_series(1, octet_length(" + bytes + "), " + n + ") i)";
    }

    /** The value's canonical text (see {@link io.zeroetl.spi.RowDigests}) in PostgreSQL. */
    static String canonical(Column column) {
        String x = id(column.name());
        ColumnType type = column.type();
        if (type.kind() == ColumnType.Kind.ARRAY) {
            return "regexp_replace(" + array(x, type) + ", '[[:space:]]', '', 'g')";
        }
        if (type.kind() != ColumnType.Kind.BASE) {
            return output(x);
        }
        return switch (type.name()) {
            case "bool" -> "CASE WHEN " + x + " THEN 't' ELSE 'f' END";
            case "money" -> x + "::numeric(20,3)::text";
            case "bpchar" -> "rtrim(" + x + ")";
            case "bytea" -> "encode(" + x + ", 'hex')";
            case "date" -> finite(x, "to_char(" + x + ", 'YYYY-MM-DD AD')");
            case "timestamp" -> finite(x, "to_char(" + x + ", 'YYYY-MM-DD HH24:MI:SS.US AD')");
            case "timestamptz" -> finite(x, "to_char(" + x + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US AD')");
            case "timetz" -> "(" + x + " AT TIME ZONE 'UTC')::text";
            case "json", "jsonb" -> "regexp_replace(" + x + "::jsonb::text, '[[:space:]]', '', 'g')";
            default -> output(x);
        };
    }

    /**
     * The value as its type's output function writes it — what pgoutput sends, so what the target holds —
     * rather than its cast to text, which differs for some types (inet::text adds /32 to a host address).
     */
    private static String output(String x) {
        return "CASE WHEN " + x + " IS NULL THEN NULL ELSE concat(" + x + ") END";
    }

    /**
     * An array as the target's JSON holds it: numbers, booleans and documents as themselves, every other
     * element as a string of its output text, NULL elements as null, nested per dimension (one and two
     * dimensions; deeper arrays as PostgreSQL's own array_to_json).
     */
    private static String array(String x, ColumnType type) {
        boolean typed = PgTypes.TYPED_ELEMENTS.contains(type.name());
        // as the target's JSON holds them: oid as a number, floats as exact decimals, json as jsonb (last key wins)
        String numeric = switch (type.name()) {
            case "oid" -> "::bigint";
            case "float4", "float8" -> "::text::numeric";
            case "json" -> "::jsonb";
            default -> "";
        };
        String element = typed
                ? "to_json(%s" + numeric + ")"
                : "to_json(CASE WHEN %1$s IS NULL THEN NULL ELSE concat(%1$s) END)";
        // by subscript, not unnest: unnest spreads a composite element over one column per attribute
        String one = "(SELECT coalesce(json_agg(" + String.format(element, x + "[i]")
                + " ORDER BY i)::text, '[]') FROM generate_subscripts(" + x + ", 1) AS i)";
        String two = "(SELECT coalesce(json_agg((SELECT json_agg(" + String.format(element, x + "[i][j]")
                + " ORDER BY j)"
                + " FROM generate_subscripts(" + x + ", 2) AS j) ORDER BY i)::text, '[]') FROM generate_subscripts("
                + x + ", 1) AS i)";
        return "CASE WHEN " + x + " IS NULL THEN NULL WHEN array_ndims(" + x + ") IS NULL THEN '[]'"
                + " WHEN array_ndims(" + x + ") = 1 THEN " + one
                + " WHEN array_ndims(" + x + ") = 2 THEN " + two
                + " ELSE array_to_json(" + x + ")::text END";
    }

    /** to_char gives NULL for infinity, which would match a NULL the target holds instead of it. */
    private static String finite(String x, String text) {
        return "CASE WHEN isfinite(" + x + ") THEN " + text + " ELSE " + x + "::text END";
    }

    private static String id(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() {
        try {
            snapshot.rollback();
        } catch (SQLException ignored) {
            // closing anyway
        }
        close(snapshot);
        close(marker);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing to do
            }
        }
    }
}

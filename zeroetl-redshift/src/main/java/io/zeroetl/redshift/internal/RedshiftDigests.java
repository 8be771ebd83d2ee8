package io.zeroetl.redshift.internal;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.TableSchema;
import io.zeroetl.redshift.RedshiftTypeMapper;
import io.zeroetl.spi.RowDigests;
import io.zeroetl.spi.SqlRowDigests;
import io.zeroetl.spi.TargetDigests;
import io.zeroetl.spi.TypeMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The target side of a validation, in Redshift SQL: one transaction per snapshot (Redshift's
 * serializable isolation makes every read in it see the same committed state, the pipeline's position
 * included).
 */
public final class RedshiftDigests extends SqlRowDigests implements TargetDigests {

    private final Connection connection;
    private final ApplierSettings settings;
    private final String pipelineId;
    /** Per table of the current snapshot: its large-value columns' piece counts. */
    private final Map<TableId, Map<String, Integer>> pieces = new HashMap<>();

    /** Connects with {@code properties} (user, password, ssl ...). */
    public RedshiftDigests(String jdbcUrl, Properties properties, ApplierSettings settings, String pipelineId) {
        this.settings = settings;
        this.pipelineId = pipelineId;
        try {
            connection = DriverManager.getConnection(jdbcUrl, properties);
            try (Statement s = connection.createStatement()) {
                s.execute("SET enable_case_sensitive_identifier TO true");
            }
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw RedshiftErrors.classify("connecting to Redshift to validate", e);
        }
    }

    /**
     * Reads the pipeline's position in a transaction of its own, so that no transaction stays open on
     * {@code zeroetl_state} (pipelines lock it for every batch). The reads that follow see a snapshot
     * taken after it: the target has applied at least that position.
     */
    @Override
    public Lsn refresh() {
        pieces.clear();
        try {
            // switching to autocommit ends the snapshot's transaction for sure (the driver's commit() was
            // seen to leave a read-only transaction open) and runs the read in a transaction of its own
            connection.setAutoCommit(true);
            Lsn position;
            try (PreparedStatement ps = connection.prepareStatement("SELECT lsn FROM "
                    + Sql.qualified(settings.stateSchema(), "zeroetl_state") + " WHERE pipeline_id = ?")) {
                ps.setString(1, pipelineId);
                try (ResultSet rs = ps.executeQuery()) {
                    position = rs.next() ? Lsn.of(rs.getLong(1)) : Lsn.NONE;
                }
            }
            connection.setAutoCommit(false);
            return position;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                try {
                    connection.setAutoCommit(false);
                } catch (SQLException ignored) {
                    // the next read reports the problem
                }
                return Lsn.NONE;
            }
            throw RedshiftErrors.classify("reading the pipeline's position in Redshift", e);
        }
    }

    /** The pipelines {@code zeroetl_state} holds a position for (none when there is no such table yet). */
    @Override
    public Set<String> pipelines() {
        Set<String> ids = new TreeSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT DISTINCT pipeline_id FROM "
                + Sql.qualified(settings.stateSchema(), "zeroetl_state") + " WHERE pipeline_id <> ?")) {
            ps.setString(1, pipelineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            return Set.of();
        } finally {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // the next read reports the problem
            }
        }
    }

    /** The tables whose copy {@code zeroetl_table_state} records as asked for and not yet committed. */
    @Override
    public Set<TableId> copying() {
        try {
            return StateTables.copyPending(
                    connection, Sql.qualified(settings.stateSchema(), "zeroetl_table_state"), pipelineId);
        } catch (SQLException e) {
            throw RedshiftErrors.classify("reading zeroetl_table_state", e);
        }
    }

    @Override
    public Map<TableId, String> failedTables() {
        try {
            return StateTables.failed(
                    connection, Sql.qualified(settings.stateSchema(), "zeroetl_table_state"), pipelineId);
        } catch (SQLException e) {
            throw RedshiftErrors.classify("reading zeroetl_table_state", e);
        }
    }

    @Override
    public Set<String> uncomparableColumns(TableSchema table) {
        TypeMapper mapper = settings.mapper();
        Set<String> out = new HashSet<>();
        if (mapper == RedshiftTypeMapper.DEFAULT) {
            return out;
        }
        for (Column c : table.columns()) {
            String mine = mapper.map(table.table(), c).targetType();
            if (!mine.equals(RedshiftTypeMapper.DEFAULT.map(table.table(), c).targetType())) {
                out.add(c.name());
            }
        }
        return out;
    }

    @Override
    public Map<String, Set<String>> conversions(TableSchema table) {
        Map<String, Set<String>> out = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT row_key, column_name FROM " + Sql.qualified(settings.stateSchema(), "zeroetl_errors")
                        + " WHERE pipeline_id = ? AND table_name = ?")) {
            ps.setString(1, pipelineId);
            ps.setString(2, table.table().toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw RedshiftErrors.classify("reading zeroetl_errors", e);
        }
        return out;
    }

    @Override
    protected Connection connection() {
        return connection;
    }

    @Override
    protected String rowsOf(TableSchema table) {
        Set<String> present = columns(table);
        return present.isEmpty() ? null : inner(table, present);
    }

    /** SUM of BIGINT is BIGINT in Redshift and overflows (r_SUM): the 60-bit parts are summed as DECIMAL(38,0). */
    @Override
    protected String bucketsOf(String rows, int buckets) {
        return "SELECT " + bucket(buckets) + " AS b, COUNT(*),"
                + " SUM(CAST(STRTOL(SUBSTRING(MD5(ch), 1, 15), 16) AS DECIMAL(38,0)))"
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
        return RedshiftErrors.classify(doing + " in Redshift", e);
    }

    /** The target table's column names; empty when the table does not exist. */
    private Set<String> columns(TableSchema table) {
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT column_name FROM information_schema.columns" + " WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, targetSchema(table.table()));
            ps.setString(2, table.table().table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw RedshiftErrors.classify("reading the columns of " + table.table() + " in Redshift", e);
        }
        return names;
    }

    private String targetSchema(TableId table) {
        return settings.targetSchema() != null ? settings.targetSchema() : table.schema();
    }

    /** kh (key hash), k0..kn (key texts), ch (row text) per row; a column the target lacks hashes as missing. */
    private String inner(TableSchema table, Set<String> present) {
        StringBuilder keyHashes = new StringBuilder();
        StringBuilder keys = new StringBuilder();
        StringBuilder row = new StringBuilder();
        int k = 0;
        List<String> names =
                TargetNames.columns(table.columns().stream().map(Column::name).toList());
        Map<String, Integer> pieces = largest(table, present, names);
        for (int i = 0; i < table.columns().size(); i++) {
            Column c = table.columns().get(i);
            String name = names.get(i);
            String canonical = present.contains(name) ? canonical(c.named(name)) : null;
            int n = pieces.getOrDefault(name, 0);
            String hash = canonical == null
                    ? "'missing'"
                    : n == 0
                            ? "COALESCE(MD5(" + canonical + "), 'n')"
                            : "COALESCE(CASE WHEN " + LargeValues.size(c.named(name)) + " <= "
                                    + LargeValues.limit(c) + " THEN MD5(" + canonical + ") ELSE "
                                    + LargeValues.pieces(c.named(name), n) + " END, 'n')";
            row.append(row.length() == 0 ? "" : " || ").append(hash);
            if (c.key()) {
                keyHashes.append(keyHashes.length() == 0 ? "" : " || ").append(hash);
                keys.append(", ")
                        .append(canonical == null ? "NULL" : canonical)
                        .append(" AS k")
                        .append(k++);
            }
        }
        return "SELECT MD5(" + keyHashes + ") AS kh" + keys + ", " + row + " AS ch FROM "
                + Sql.qualified(targetSchema(table.table()), table.table().table());
    }

    private static String bucket(int buckets) {
        return "MOD(STRTOL(SUBSTRING(kh, 1, 8), 16), " + buckets + ")";
    }

    /**
     * How many pieces the largest value of each column that may hold large values (VARBYTE, SUPER) takes, for
     * the columns that do hold one (see {@link io.zeroetl.spi.RowDigests}); asked once per table and snapshot.
     */
    private Map<String, Integer> largest(TableSchema table, Set<String> present, List<String> names) {
        return pieces.computeIfAbsent(table.table(), t -> {
            Map<String, Integer> out = new HashMap<>();
            List<String> sizes = new ArrayList<>();
            List<String> columns = new ArrayList<>();
            for (int i = 0; i < table.columns().size(); i++) {
                Column c = table.columns().get(i).named(names.get(i));
                if (present.contains(c.name()) && LargeValues.applies(c)) {
                    sizes.add("MAX(" + LargeValues.size(c) + ")");
                    columns.add(c.name());
                }
            }
            if (sizes.isEmpty()) {
                return out;
            }
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT " + String.join(", ", sizes) + " FROM "
                            + Sql.qualified(targetSchema(t), t.table()))) {
                rs.next();
                for (int i = 0; i < columns.size(); i++) {
                    long max = rs.getLong(i + 1);
                    Column c = table.columns().get(names.indexOf(columns.get(i)));
                    if (max > LargeValues.limit(c)) {
                        out.put(columns.get(i), (int) ((max + RowDigests.PIECE_BYTES - 1) / RowDigests.PIECE_BYTES));
                    }
                }
            } catch (SQLException e) {
                throw RedshiftErrors.classify("measuring the large values of " + t + " in Redshift", e);
            }
            return out;
        });
    }

    /** The canonical text (see {@link io.zeroetl.spi.RowDigests}) of a column as the default mapping stored it. */
    static String canonical(Column column) {
        String x = Sql.id(column.name());
        ColumnType type = column.type();
        if (type.kind() == ColumnType.Kind.ARRAY) {
            return "REGEXP_REPLACE(JSON_SERIALIZE(" + x + "), '[[:space:]]', '')";
        }
        if (type.kind() != ColumnType.Kind.BASE) {
            return x;
        }
        String mapped =
                RedshiftTypeMapper.DEFAULT.map(TableId.of("s", "t"), column).targetType();
        return switch (type.name()) {
            case "bool" -> "CASE WHEN " + x + " THEN 't' ELSE 'f' END";
            case "bpchar", "uuid" -> "RTRIM(" + x + ")";
            case "bytea" -> "LOWER(TO_HEX(" + x + "))";
            case "date" -> "TO_CHAR(" + x + ", 'YYYY-MM-DD AD')";
            case "timestamp" -> "TO_CHAR(" + x + ", 'YYYY-MM-DD HH24:MI:SS.US AD')";
            case "timestamptz" -> "TO_CHAR(" + x + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US AD')";
            case "json", "jsonb" -> "REGEXP_REPLACE(JSON_SERIALIZE(" + x + "), '[[:space:]]', '')";
            default -> mapped.startsWith("VARCHAR") ? x : "CAST(" + x + " AS VARCHAR)";
        };
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the next statement reports the problem
        }
    }

    @Override
    public void close() {
        rollbackQuietly();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing to do
        }
    }
}

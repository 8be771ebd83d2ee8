package io.zeroetl.redshift.internal;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.redshift.ValuePolicy;
import io.zeroetl.spi.ApplierContext;
import io.zeroetl.spi.UnstorableValueException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the value policy to values the target cannot hold, and records each conversion in
 * {@code zeroetl_errors}, written in the batch's transaction.
 */
final class ValueFailures {
    /** Byte limits of the columns of zeroetl_errors (VARCHAR lengths are bytes: r_Character_types). */
    private static final int MAX_ORIGINAL_BYTES = 4000;

    private static final int MAX_KEY_BYTES = 2000;
    private static final int MAX_REASON_BYTES = 1000;
    private static final int MAX_NAME_BYTES = 512;
    private static final Pattern LIMIT = Pattern.compile("exceeds the column's (\\d+) bytes|VARBYTE limit of (\\d+)");

    private record Failure(String table, String key, String column, String original, String reason, long lsn) {}

    private final String errorsTable;
    private final String pipelineId;
    private final ValuePolicy defaultPolicy;
    private final Map<TableId, ValuePolicy> policies;
    private final ApplierContext context;
    private final List<Failure> failures = new ArrayList<>();

    /** Records into {@code errorsTable}; a table's policy is looked up by its settings name in {@code context}. */
    ValueFailures(String errorsTable, ApplierSettings settings, ApplierContext context) {
        this.errorsTable = errorsTable;
        this.context = context;
        this.pipelineId = context.pipelineId();
        this.defaultPolicy = settings.defaultPolicy();
        this.policies = settings.policies();
    }

    static void createTable(Statement s, String errorsTable) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS " + errorsTable + " (pipeline_id VARCHAR(64), table_name VARCHAR(512),"
                + " row_key VARCHAR(2000), column_name VARCHAR(512), original_value VARCHAR(4000),"
                + " reason VARCHAR(1000), lsn BIGINT, recorded_at TIMESTAMP)");
    }

    /**
     * The target value for an unstorable {@code value}, by the table's policy; rethrows under FAIL_TABLE.
     */
    String handle(TableId table, String key, String column, Object value, UnstorableValueException e, Lsn lsn) {
        ValuePolicy policy = policies.getOrDefault(context.settingsName(table, policies.keySet()), defaultPolicy);
        if (policy == ValuePolicy.FAIL_TABLE) {
            throw new UnstorableValueException("column " + column + " (key " + key + "): " + e.getMessage());
        }
        String original = original(value);
        String stored = policy == ValuePolicy.TRUNCATE ? truncated(value, e) : null;
        failures.add(new Failure(
                table.toString(),
                key,
                column,
                original,
                e.getMessage()
                        + (stored == null ? "; stored NULL" : "; stored cut to " + stored.length() + " characters"),
                lsn.value()));
        return stored;
    }

    /** Writes the recorded conversions (in the caller's transaction) and forgets them. */
    void flush(Connection c) throws SQLException {
        if (failures.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + errorsTable + " VALUES (?, ?, ?, ?, ?, ?," + " CAST(? AS BIGINT), GETDATE())")) {
            for (Failure f : failures) {
                ps.setString(1, pipelineId);
                ps.setString(2, StateTables.cut(f.table(), MAX_NAME_BYTES));
                ps.setString(3, key(f.key()));
                ps.setString(4, StateTables.cut(f.column(), MAX_NAME_BYTES));
                ps.setString(5, StateTables.cut(f.original(), MAX_ORIGINAL_BYTES));
                ps.setString(6, StateTables.cut(f.reason(), MAX_REASON_BYTES));
                ps.setString(7, Long.toString(f.lsn()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        failures.clear();
    }

    void clear() {
        failures.clear();
    }

    private static String truncated(Object value, UnstorableValueException e) {
        Matcher m = LIMIT.matcher(e.getMessage());
        if (!m.find()) {
            return null;
        }
        int limit = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        if (value instanceof byte[] bytes) {
            return TargetValues.hex(Arrays.copyOf(bytes, Math.min(bytes.length, limit)));
        }
        String s = String.valueOf(value).replace("\0", "");
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= limit) {
            return s;
        }
        int end = limit;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }

    private static String original(Object value) {
        String s = value instanceof byte[] b ? "\\x" + HexFormat.of().formatHex(b) : String.valueOf(value);
        return s.replace("\0", "\\0");
    }

    /**
     * A row key that fits {@code row_key}: whole when it does, else its beginning and the SHA-256 of the whole
     * key, so that even a key of megabytes is recorded and can be told apart.
     */
    static String key(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES) {
            return key;
        }
        try {
            String digest = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
            String suffix = " (sha256 " + digest + ")";
            return StateTables.cut(key, MAX_KEY_BYTES - suffix.length()) + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

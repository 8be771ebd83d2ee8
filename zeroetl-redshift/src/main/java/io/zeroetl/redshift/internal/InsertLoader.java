package io.zeroetl.redshift.internal;

import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-row INSERTs with bound values (r_INSERT_30), at most 30,000 parameters and 1,000 rows a statement.
 * A hex VARBYTE value takes two characters a byte, so this loader carries VARBYTE values up to 32,767 bytes.
 */
public final class InsertLoader implements StagingLoader {
    public static final InsertLoader INSTANCE = new InsertLoader();
    private static final int MAX_PARAMETERS = 30_000;
    private static final int MAX_ROWS = 1_000;

    private InsertLoader() {}

    @Override
    public Load open(Connection connection, String table, List<Column> columns) {
        return new InsertLoad(connection, table, columns);
    }

    /** Buffers one statement's rows (bounded in rows and characters), then sends them. */
    private static final class InsertLoad implements Load {
        private static final long MAX_BUFFER_CHARS = 4L << 20;
        private final Connection connection;
        private final String table;
        private final String tuple;
        private final int perStatement;
        private final List<String[]> rows = new ArrayList<>();
        private long chars;

        InsertLoad(Connection connection, String table, List<Column> columns) {
            this.connection = connection;
            this.table = table;
            this.tuple = tuple(columns);
            this.perStatement = Math.max(1, Math.min(MAX_ROWS, MAX_PARAMETERS / columns.size()));
        }

        @Override
        public void add(String[] row) throws SQLException {
            rows.add(row);
            for (String v : row) {
                chars += v == null ? 1 : v.length();
            }
            if (rows.size() >= perStatement || chars >= MAX_BUFFER_CHARS) {
                send();
            }
        }

        @Override
        public void finish() throws SQLException {
            send();
        }

        private void send() throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
            for (int r = 0; r < rows.size(); r++) {
                sql.append(r == 0 ? "" : ", ").append(tuple);
            }
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (String[] row : rows) {
                    for (String value : row) {
                        if (value == null) {
                            ps.setNull(p++, Types.VARCHAR);
                        } else {
                            ps.setString(p++, value);
                        }
                    }
                }
                ps.executeUpdate();
            }
            rows.clear();
            chars = 0;
        }
    }

    private static String tuple(List<Column> columns) {
        StringBuilder t = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            String type = columns.get(i).type();
            t.append(i == 0 ? "" : ", ");
            if (type.equals("SUPER")) {
                t.append("JSON_PARSE(?)");
            } else if (type.startsWith("VARBYTE")) {
                // FROM_HEX takes only a literal (r_FROM_HEX); TO_VARBYTE takes any string (r_TO_VARBYTE)
                t.append("TO_VARBYTE(?, 'hex')");
            } else if (type.startsWith("VARCHAR")) {
                t.append('?');
            } else {
                t.append("CAST(? AS ").append(type).append(')');
            }
        }
        return t.append(')').toString();
    }

    @Override
    public String toString() {
        return "StagingLoader.multiRowInsert()";
    }
}

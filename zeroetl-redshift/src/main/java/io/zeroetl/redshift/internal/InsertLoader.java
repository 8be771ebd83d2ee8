package io.zeroetl.redshift.internal;

import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Multi-row INSERTs with bound values (r_INSERT_30), at most 30,000 parameters and 1,000 rows a statement.
 * A hex VARBYTE value takes two characters a byte, so this loader carries VARBYTE values up to 32,767 bytes.
 */
public final class InsertLoader implements StagingLoader {
    public static final InsertLoader INSTANCE = new InsertLoader();
    private static final int MAX_PARAMETERS = 30_000;
    private static final int MAX_ROWS = 1_000;

    private InsertLoader() {
    }

    @Override
    public void load(Connection connection, String table, List<Column> columns, List<String[]> rows)
            throws SQLException {
        int perStatement = Math.max(1, Math.min(MAX_ROWS, MAX_PARAMETERS / columns.size()));
        String tuple = tuple(columns);
        for (int from = 0; from < rows.size(); from += perStatement) {
            int n = Math.min(perStatement, rows.size() - from);
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
            for (int r = 0; r < n; r++) {
                sql.append(r == 0 ? "" : ", ").append(tuple);
            }
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (int r = from; r < from + n; r++) {
                    for (String value : rows.get(r)) {
                        if (value == null) {
                            ps.setNull(p++, Types.VARCHAR);
                        } else {
                            ps.setString(p++, value);
                        }
                    }
                }
                ps.executeUpdate();
            }
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

package io.zeroetl.redshift.internal;

import io.zeroetl.redshift.StagingLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-row INSERTs with bound values (r_INSERT_30), at most 1,000 rows and 30,000 parameters a statement.
 * A value is bound as a VARCHAR, which carries at most 65,535 bytes (r_Character_types); a VARBYTE value
 * travels as hex, so one longer than 32,767 bytes is bound in pieces of hex that the statement joins back
 * with VARBYTE's {@code ||} (r_TO_VARBYTE, r_VARBYTE_OPERATORS). A statement's text and values together stay
 * within Redshift's 16 MB a statement (c_SQL_commands, which does not say bound values are exempt), so the
 * largest VARBYTE value this loader carries is a little under 8 MB; a row it cannot carry goes to the value
 * policy before anything is sent ({@link #refused}).
 */
public final class InsertLoader implements StagingLoader {
    public static final InsertLoader INSTANCE = new InsertLoader();
    private static final int MAX_PARAMETERS = 30_000;
    private static final int MAX_ROWS = 1_000;
    /** Redshift's limit on a statement (c_SQL_commands), with room for the statement's own text. */
    static final long MAX_STATEMENT_BYTES = 16L * 1024 * 1024 - (256 << 10);
    /** Hex characters of one bound piece: even (whole bytes), within a VARCHAR's 65,535 bytes. */
    static final int PIECE_CHARS = 65_534;
    /** Rows are sent once their values take this many characters (memory stays bounded). */
    private static final long MAX_BUFFER_CHARS = 4L << 20;

    private InsertLoader() {}

    @Override
    public Load open(Connection connection, String table, List<Column> columns) {
        return new InsertLoad(connection, table, columns);
    }

    /**
     * Values other than VARBYTE over 65,535 bytes, and a row whose values take more than a statement holds
     * (its largest VARBYTE value is refused, with the size it could be cut to).
     */
    @Override
    public Refusal refused(List<Column> columns, String[] row) {
        long total = 0;
        int largest = -1;
        for (int i = 0; i < row.length; i++) {
            boolean varbyte = varbyte(columns.get(i).type());
            long bytes = varbyte ? length(row[i]) : Utf8.bytesOver(row[i], MAX_BOUND_BYTES);
            if (!varbyte && bytes > MAX_BOUND_BYTES) {
                return StagingLoader.super.refused(columns, row);
            }
            total += bytes;
            if (varbyte && (largest < 0 || bytes > length(row[largest]))) {
                largest = i;
            }
        }
        if (total <= MAX_STATEMENT_BYTES) {
            return null;
        }
        long room = (MAX_STATEMENT_BYTES - (total - length(row[largest]))) / 2;
        return new Refusal(
                largest,
                "its hex form of " + length(row[largest]) + " characters would make an INSERT statement longer"
                        + " than Redshift's 16 MB (c_SQL_commands): exceeds the VARBYTE limit of " + Math.max(0, room)
                        + " bytes one statement carries with this row's other values (a COPY from S3 carries"
                        + " VARBYTE values of up to 2 MB)");
    }

    private static long length(String value) {
        return value == null ? 0 : value.length();
    }

    static boolean varbyte(String type) {
        return type.startsWith("VARBYTE");
    }

    /** Buffers one statement's rows (bounded in rows, parameters and characters), then sends them. */
    private static final class InsertLoad implements Load {
        private final Connection connection;
        private final String table;
        private final List<Column> columns;
        private final List<String[]> rows = new ArrayList<>();
        private long chars;
        private int parameters;

        InsertLoad(Connection connection, String table, List<Column> columns) {
            this.connection = connection;
            this.table = table;
            this.columns = columns;
        }

        @Override
        public void add(String[] row) throws SQLException {
            long rowChars = 0;
            int rowParameters = 0;
            for (int i = 0; i < row.length; i++) {
                rowChars += row[i] == null ? 1 : row[i].length();
                rowParameters += pieces(i, row[i]);
            }
            if (!rows.isEmpty()
                    && (chars + rowChars > MAX_BUFFER_CHARS || parameters + rowParameters > MAX_PARAMETERS)) {
                send();
            }
            rows.add(row);
            chars += rowChars;
            parameters += rowParameters;
            if (rows.size() >= MAX_ROWS || chars >= MAX_BUFFER_CHARS) {
                send();
            }
        }

        /** How many parameters carry {@code value} of column {@code i}: one, or a VARBYTE's hex pieces. */
        private int pieces(int i, String value) {
            return value != null && varbyte(columns.get(i).type()) && value.length() > PIECE_CHARS
                    ? (value.length() + PIECE_CHARS - 1) / PIECE_CHARS
                    : 1;
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
                sql.append(r == 0 ? "(" : ", (");
                String[] row = rows.get(r);
                for (int i = 0; i < row.length; i++) {
                    sql.append(i == 0 ? "" : ", ");
                    value(sql, columns.get(i).type(), pieces(i, row[i]));
                }
                sql.append(')');
            }
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (String[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        String value = row[i];
                        int pieces = pieces(i, value);
                        if (value == null) {
                            ps.setNull(p++, Types.VARCHAR);
                        } else if (pieces == 1) {
                            ps.setString(p++, value);
                        } else {
                            for (int start = 0; start < value.length(); start += PIECE_CHARS) {
                                ps.setString(
                                        p++, value.substring(start, Math.min(value.length(), start + PIECE_CHARS)));
                            }
                        }
                    }
                }
                ps.executeUpdate();
            }
            rows.clear();
            chars = 0;
            parameters = 0;
        }
    }

    /** One value's expression: its parameter read as the column's type (a large VARBYTE's pieces joined). */
    private static void value(StringBuilder sql, String type, int pieces) {
        if (type.equals("SUPER")) {
            sql.append("JSON_PARSE(?)");
        } else if (varbyte(type)) {
            // FROM_HEX takes only a literal (r_FROM_HEX); TO_VARBYTE takes any string (r_TO_VARBYTE)
            sql.append(pieces > 1 ? "(" : "");
            for (int k = 0; k < pieces; k++) {
                sql.append(k == 0 ? "" : " || ").append("TO_VARBYTE(?, 'hex')");
            }
            sql.append(pieces > 1 ? ")" : "");
        } else if (type.startsWith("VARCHAR")) {
            sql.append('?');
        } else {
            sql.append("CAST(? AS ").append(type).append(')');
        }
    }

    @Override
    public String toString() {
        return "StagingLoader.multiRowInsert()";
    }
}

package io.zeroetl.redshift.internal;

import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.spi.RowDigests;

/**
 * How Redshift hashes a value too large to hash at once (see {@link RowDigests}): MD5 and TO_HEX take and give
 * a VARCHAR, at most 65,535 bytes (r_MD5, r_TO_HEX, r_Character_types), and JSON_SERIALIZE returns one
 * (JSON_SERIALIZE). So a VARBYTE over 32,767 bytes, or a SUPER value whose serialization is over 65,535 bytes
 * (r_json_size), is hashed piece by piece: SUBSTRING of the VARBYTE, or of JSON_SERIALIZE_TO_VARBYTE of the
 * SUPER value (r_SUBSTRING, JSON_SERIALIZE_TO_VARBYTE), each piece's hex hashed, the hashes hashed together.
 */
final class LargeValues {
    private LargeValues() {}

    /** Whether values of {@code column} (a source column, as the default mapping stores it) may be large. */
    static boolean applies(Column column) {
        ColumnType type = column.type();
        return type.kind() == ColumnType.Kind.ARRAY || binary(column) || json(column);
    }

    /** Above how many bytes (of {@link #size}) a value of {@code column} is large. */
    static int limit(Column column) {
        return RowDigests.largeBytes(binary(column));
    }

    /** The value's size: a VARBYTE's bytes, a SUPER value's serialization's (r_LEN, r_json_size). */
    static String size(Column column) {
        String x = Sql.id(column.name());
        return binary(column) ? "LEN(" + x + ")" : "JSON_SIZE(" + x + ")";
    }

    /** The MD5 of the MD5s of the hex of each piece of the value, for values of up to {@code pieces} pieces. */
    static String pieces(Column column, int pieces) {
        String x = Sql.id(column.name());
        String bytes = binary(column) ? x : "JSON_SERIALIZE_TO_VARBYTE(" + x + ")";
        int n = RowDigests.PIECE_BYTES;
        StringBuilder sql = new StringBuilder("MD5(");
        for (int i = 0; i < pieces; i++) {
            String piece = "MD5(LOWER(TO_HEX(SUBSTRING(" + bytes + ", " + (1 + (long) i * n) + ", " + n + "))))";
            if (i == 0) {
                sql.append(piece);
            } else {
                sql.append(" || CASE WHEN ")
                        .append(size(column))
                        .append(" > ")
                        .append((long) i * n)
                        .append(" THEN ")
                        .append(piece)
                        .append(" ELSE '' END");
            }
        }
        return sql.append(')').toString();
    }

    private static boolean binary(Column column) {
        return column.type().kind() == ColumnType.Kind.BASE
                && column.type().name().equals("bytea");
    }

    private static boolean json(Column column) {
        return column.type().kind() == ColumnType.Kind.BASE
                && (column.type().name().equals("json") || column.type().name().equals("jsonb"));
    }
}

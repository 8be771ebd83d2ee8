package io.zeroetl.testing.internal.redshift;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zeroetl.testing.internal.redshift.CopyLoads.Column;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What each field of a COPY record becomes for PostgreSQL's COPY, by Redshift's rules for the column's type
 * and the COPY's options (copy-parameters-data-conversion): NULL AS, EMPTYASNULL, BLANKSASNULL, TRIMBLANKS,
 * TRUNCATECOLUMNS, FILLRECORD; VARBYTE from hex, SUPER checked as JSON up to 16 MB; a field that does not
 * fit is a failure naming its column.
 */
final class CopyValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRICT_JSON =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final int MAX_SUPER_BYTES = 16 * 1024 * 1024;

    private CopyValues() {}

    /** What a column's type asks of its fields. */
    private enum Kind {
        SUPER,
        CHARACTER,
        VARBYTE,
        DECIMAL,
        OTHER
    }

    /**
     * The columns of one COPY with what each one's type asks of its fields, worked out once per COPY rather
     * than once per value (a load runs through here for every field of every row).
     */
    static final class Plan {
        private final CopyCommand c;
        private final List<Column> columns;
        private final Kind[] kinds;
        /** per column: a character column's length in bytes, a decimal's scale */
        private final int[] sizes;

        Plan(CopyCommand c, List<Column> columns) {
            this.c = c;
            this.columns = List.copyOf(columns);
            this.kinds = new Kind[columns.size()];
            this.sizes = new int[columns.size()];
            for (int i = 0; i < kinds.length; i++) {
                String type = columns.get(i).type();
                Kind kind = kind(type);
                kinds[i] = kind;
                if (kind == Kind.CHARACTER && c.truncateColumns) {
                    sizes[i] = length(type);
                } else if (kind == Kind.DECIMAL) {
                    int comma = type.indexOf(',');
                    sizes[i] = comma < 0
                            ? 0
                            : Integer.parseInt(
                                    type.substring(comma + 1, type.indexOf(')')).trim());
                }
            }
        }

        /** One record's values for PostgreSQL's CSV reader (null for NULL), or a failure naming the column. */
        String[] record(List<String> fields, long line, CharSequence rawText) {
            if (fields.size() > columns.size()) {
                throw new CopyRecords.CopyFailure(line, null, raw(rawText), 1202, "Extra column(s) found");
            }
            if (fields.size() < columns.size() && !c.fillRecord && c.format != CopyCommand.Format.JSON) {
                throw new CopyRecords.CopyFailure(
                        line, columns.get(fields.size()).name(), raw(rawText), 1214, "Delimiter not found");
            }
            String[] values = new String[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                Column column = columns.get(i);
                String raw = i < fields.size() ? fields.get(i) : c.format == CopyCommand.Format.JSON ? null : "";
                try {
                    values[i] = value(c, kinds[i], sizes[i], raw);
                } catch (RuntimeException e) {
                    throw new CopyRecords.CopyFailure(
                            line,
                            column.name(),
                            raw == null ? "" : raw,
                            e instanceof NumberFormatException ? 1207 : 1224,
                            e.getMessage());
                }
            }
            return values;
        }
    }

    private static Kind kind(String type) {
        if (type.equals("SUPER")) {
            return Kind.SUPER;
        }
        if (type.startsWith("VARCHAR")
                || type.startsWith("CHAR")
                || type.startsWith("CHARACTER")
                || type.startsWith("NVARCHAR")
                || type.startsWith("NCHAR")
                || type.startsWith("TEXT")
                || type.startsWith("BPCHAR")) {
            return Kind.CHARACTER;
        }
        if (type.startsWith("VARBYTE")) {
            return Kind.VARBYTE;
        }
        if (type.startsWith("DECIMAL") || type.startsWith("NUMERIC")) {
            return Kind.DECIMAL;
        }
        return Kind.OTHER;
    }

    private static String raw(CharSequence rawText) {
        return rawText.toString().stripTrailing();
    }

    private static String value(CopyCommand c, Kind kind, int size, String field) {
        if (field == null) {
            return null;
        }
        boolean json = c.format == CopyCommand.Format.JSON;
        if (kind == Kind.SUPER) {
            if (!json && field.equals(c.nullAs)) {
                return null;
            }
            if (field.isEmpty()) {
                return null;
            }
            if (field.getBytes(StandardCharsets.UTF_8).length > MAX_SUPER_BYTES) {
                throw new IllegalArgumentException("SUPER value exceeds the 16 MB limit");
            }
            try {
                longString(STRICT_JSON.readTree(field));
            } catch (IOException e) {
                throw new IllegalArgumentException("Invalid JSON for a SUPER column: " + e.getMessage());
            }
            return field;
        }
        String v = field;
        if (json) {
            if (v.startsWith("\"")) {
                try {
                    v = JSON.readTree(v).textValue();
                } catch (IOException e) {
                    throw new IllegalArgumentException("Invalid JSON value: " + e.getMessage());
                }
            }
        } else if (v.equals(c.nullAs)) {
            return null;
        }
        if (kind == Kind.CHARACTER) {
            if (c.trimBlanks) {
                v = v.stripTrailing();
            }
            if (v.isEmpty() && c.emptyAsNull || v.isBlank() && !v.isEmpty() && c.blanksAsNull) {
                return null;
            }
            if (c.truncateColumns) {
                v = truncate(v, size);
            }
            return v;
        }
        if (v.isBlank()) {
            // empty fields of other types always load as NULL (copy-parameters-data-conversion)
            return null;
        }
        if (kind == Kind.VARBYTE) {
            String hex = v.strip();
            if (hex.length() % 2 != 0) {
                throw new IllegalArgumentException("Invalid hexadecimal input for VARBYTE: odd number of digits");
            }
            try {
                HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid hexadecimal input for VARBYTE");
            }
            return "\\x" + hex;
        }
        if (kind == Kind.DECIMAL) {
            return decimal(c, size, v.strip());
        }
        return v;
    }

    /**
     * "By default, COPY truncates values when necessary to fit the scale of the column"; ROUNDEC rounds them
     * instead (copy-parameters-data-conversion). PostgreSQL would round: the emulator cuts the digits first.
     */
    private static String decimal(CopyCommand c, int scale, String v) {
        if (plainWithin(v, scale)) {
            return v;
        }
        BigDecimal d = new BigDecimal(v);
        if (d.scale() <= scale) {
            return v;
        }
        return d.setScale(scale, c.roundDecimals ? RoundingMode.HALF_UP : RoundingMode.DOWN)
                .toPlainString();
    }

    /**
     * Whether {@code v} is a plain decimal ({@code -12.50}: a sign, digits, at most one point, no exponent) with
     * at most {@code scale} digits after its point: such a value loads as it is. Anything else goes through
     * {@link BigDecimal}, which refuses what is not a number and cuts what has more digits.
     */
    static boolean plainWithin(String v, int scale) {
        int n = v.length();
        int i = n > 0 && (v.charAt(0) == '-' || v.charAt(0) == '+') ? 1 : 0;
        int digits = 0;
        int point = -1;
        for (; i < n; i++) {
            char ch = v.charAt(i);
            if (ch >= '0' && ch <= '9') {
                digits++;
            } else if (ch == '.' && point < 0) {
                point = i;
            } else {
                return false;
            }
        }
        return digits > 0 && (point < 0 || n - point - 1 <= scale);
    }

    /** "A single string value loaded to SUPER is limited to the maximum VARCHAR length of 65535 bytes" (limitations-super). */
    private static void longString(JsonNode node) {
        if (node.isTextual() && node.textValue().getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException("String value exceeds the max size of 65535 bytes");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().getBytes(StandardCharsets.UTF_8).length > 65535) {
                throw new IllegalArgumentException("Attribute name exceeds the max size of 65535 bytes");
            }
            longString(e.getValue());
        }
        if (node.isArray()) {
            node.forEach(CopyValues::longString);
        }
    }

    private static int length(String type) {
        int open = type.indexOf('(');
        if (open < 0) {
            return type.startsWith("VARCHAR") || type.startsWith("NVARCHAR") || type.startsWith("TEXT") ? 256 : 1;
        }
        String n = type.substring(open + 1, type.indexOf(')', open)).trim();
        return n.equalsIgnoreCase("MAX") ? 65535 : Integer.parseInt(n);
    }

    private static String truncate(String v, int bytes) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        if (b.length <= bytes) {
            return v;
        }
        int end = bytes;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * Writes records as PostgreSQL's CSV reader takes them: every value quoted, NULL as an empty field; each
     * record handed to the writer at once (a {@code Writer} takes a lock per call). One per COPY.
     */
    static final class Out {
        private final Writer out;
        private char[] line = new char[256];
        private int length;

        Out(Writer out) {
            this.out = out;
        }

        void write(String[] values) throws IOException {
            length = 0;
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    put(',');
                }
                String v = values[i];
                if (v != null) {
                    put('"');
                    if (v.indexOf('"') < 0) {
                        room(v.length());
                        v.getChars(0, v.length(), line, length);
                        length += v.length();
                    } else {
                        for (int j = 0; j < v.length(); j++) {
                            char ch = v.charAt(j);
                            if (ch == '"') {
                                put('"');
                            }
                            put(ch);
                        }
                    }
                    put('"');
                }
            }
            put('\n');
            out.write(line, 0, length);
        }

        private void put(char ch) {
            room(1);
            line[length++] = ch;
        }

        private void room(int more) {
            if (length + more > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + more));
            }
        }
    }
}

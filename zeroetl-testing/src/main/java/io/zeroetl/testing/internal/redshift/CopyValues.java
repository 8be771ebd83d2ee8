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

    /** One record's values for PostgreSQL's CSV reader (null for NULL), or a failure naming the column. */
    static String[] record(CopyCommand c, List<Column> columns, List<String> fields, long line, String rawLine) {
        if (fields.size() > columns.size()) {
            throw new CopyRecords.CopyFailure(line, null, rawLine, 1202, "Extra column(s) found");
        }
        if (fields.size() < columns.size() && !c.fillRecord && c.format != CopyCommand.Format.JSON) {
            throw new CopyRecords.CopyFailure(
                    line, columns.get(fields.size()).name(), rawLine, 1214, "Delimiter not found");
        }
        String[] values = new String[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String raw = i < fields.size() ? fields.get(i) : c.format == CopyCommand.Format.JSON ? null : "";
            try {
                values[i] = value(c, column, raw);
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

    private static String value(CopyCommand c, Column column, String field) {
        if (field == null) {
            return null;
        }
        String type = column.type();
        boolean json = c.format == CopyCommand.Format.JSON;
        if (type.equals("SUPER")) {
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
        boolean character = type.startsWith("VARCHAR")
                || type.startsWith("CHAR")
                || type.startsWith("CHARACTER")
                || type.startsWith("NVARCHAR")
                || type.startsWith("NCHAR")
                || type.startsWith("TEXT")
                || type.startsWith("BPCHAR");
        if (character) {
            if (c.trimBlanks) {
                v = v.stripTrailing();
            }
            if (v.isEmpty() && c.emptyAsNull || v.isBlank() && !v.isEmpty() && c.blanksAsNull) {
                return null;
            }
            if (c.truncateColumns) {
                v = truncate(v, length(type));
            }
            return v;
        }
        if (v.isBlank()) {
            // empty fields of other types always load as NULL (copy-parameters-data-conversion)
            return null;
        }
        if (type.startsWith("VARBYTE")) {
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
        if (type.startsWith("DECIMAL") || type.startsWith("NUMERIC")) {
            return decimal(c, type, v.strip());
        }
        return v;
    }

    /**
     * "By default, COPY truncates values when necessary to fit the scale of the column"; ROUNDEC rounds them
     * instead (copy-parameters-data-conversion). PostgreSQL would round: the emulator cuts the digits first.
     */
    private static String decimal(CopyCommand c, String type, String v) {
        int comma = type.indexOf(',');
        int scale = comma < 0
                ? 0
                : Integer.parseInt(type.substring(comma + 1, type.indexOf(')')).trim());
        BigDecimal d = new BigDecimal(v);
        if (d.scale() <= scale) {
            return v;
        }
        return d.setScale(scale, c.roundDecimals ? RoundingMode.HALF_UP : RoundingMode.DOWN)
                .toPlainString();
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

    /** Writes one record as PostgreSQL's CSV reader takes it: every value quoted, NULL as an empty field. */
    static void write(Writer out, String[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            String v = values[i];
            if (v != null) {
                out.write('"');
                out.write(v.replace("\"", "\"\""));
                out.write('"');
            }
        }
        out.write('\n');
    }
}

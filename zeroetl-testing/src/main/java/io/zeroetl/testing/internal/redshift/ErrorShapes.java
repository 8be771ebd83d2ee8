package io.zeroetl.testing.internal.redshift;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reshapes PostgreSQL's errors where Redshift's differ: a serialization failure (40001) becomes
 * Redshift's error 1023 (SQLSTATE XX000, message "1023", detail "Serializable isolation violation ...").
 */
final class ErrorShapes {
    private ErrorShapes() {}

    /** The ErrorResponse body as Redshift would shape it; unchanged when Redshift's is the same. */
    static byte[] redshift(byte[] body) {
        Map<Character, String> fields = parse(body);
        if (fields == null || !"40001".equals(fields.get('C'))) {
            return body;
        }
        String original = fields.getOrDefault('M', "");
        fields.put('C', "XX000");
        fields.put('M', "1023");
        fields.put(
                'D',
                "Serializable isolation violation on table - emulated, transactions forming the cycle are:"
                        + " emulated (PostgreSQL: " + original + ")");
        Wire.Body out = new Wire.Body();
        fields.forEach((k, v) -> out.byte1(k).cstring(v));
        return out.byte1(0).build();
    }

    /** The fields of an ErrorResponse body by their code, or null when it is malformed. */
    static Map<Character, String> parse(byte[] body) {
        Map<Character, String> fields = new LinkedHashMap<>();
        int pos = 0;
        while (pos < body.length && body[pos] != 0) {
            char code = (char) body[pos];
            int end = pos + 1;
            while (end < body.length && body[end] != 0) {
                end++;
            }
            if (end >= body.length) {
                return null;
            }
            fields.put(code, new String(body, pos + 1, end - pos - 1, StandardCharsets.UTF_8));
            pos = end + 1;
        }
        return fields;
    }
}

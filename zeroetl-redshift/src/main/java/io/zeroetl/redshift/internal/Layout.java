package io.zeroetl.redshift.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A target table's layout as zeroetl created it — its columns' names and types in order, its key, its
 * distribution — recorded in the state schema in the transaction of every batch that changes it. After a
 * restart the first description of a table is compared with it, so a column type changed while the
 * pipeline was down is followed exactly (never left to an implicit conversion), as within a run.
 *
 * @param types column name to Redshift type, in column order
 * @param keys the key columns
 * @param distribution the distribution style asked for, or empty
 */
record Layout(Map<String, String> types, List<String> keys, String distribution) {
    /** Redshift's VARCHAR limit: a longer encoding is recorded as its hash, which tells only equality. */
    static final int MAX_TEXT_BYTES = 65_535;

    private static final String HASHED = "sha256:";

    static Layout of(TargetTable table) {
        Map<String, String> types = new LinkedHashMap<>();
        table.columns.forEach(c -> types.put(c.name(), c.type()));
        return new Layout(types, table.keys, table.distribution == null ? "" : table.distribution.name());
    }

    /** The encoding to record: length-prefixed fields, or the hash of that when it is too long. */
    String encode() {
        StringBuilder sb = new StringBuilder();
        field(sb, distribution);
        field(sb, Integer.toString(keys.size()));
        keys.forEach(k -> field(sb, k));
        types.forEach((name, type) -> {
            field(sb, name);
            field(sb, type);
        });
        String text = sb.toString();
        return text.getBytes(StandardCharsets.UTF_8).length <= MAX_TEXT_BYTES ? text : HASHED + sha256(text);
    }

    /** A recorded encoding back as a layout; null when it was recorded as a hash. */
    static Layout decode(String text) {
        if (text == null || text.startsWith(HASHED)) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int colon = text.indexOf(':', pos);
            int length = Integer.parseInt(text.substring(pos, colon));
            fields.add(text.substring(colon + 1, colon + 1 + length));
            pos = colon + 1 + length;
        }
        int keyCount = Integer.parseInt(fields.get(1));
        List<String> keys = fields.subList(2, 2 + keyCount);
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 2 + keyCount; i + 1 < fields.size(); i += 2) {
            types.put(fields.get(i), fields.get(i + 1));
        }
        return new Layout(types, List.copyOf(keys), fields.get(0));
    }

    /** This layout with columns renamed ({@code renames}: old name to new), types and order kept. */
    Layout renamed(Map<String, String> renames) {
        Map<String, String> renamedTypes = new LinkedHashMap<>();
        types.forEach((name, type) -> renamedTypes.put(renames.getOrDefault(name, name), type));
        return new Layout(
                renamedTypes, keys.stream().map(k -> renames.getOrDefault(k, k)).toList(), distribution);
    }

    /** Whether {@code wanted}'s key, distribution or key types differ from this one's: a rebuild. */
    boolean rekeys(TargetTable wanted) {
        if (!keys.equals(wanted.keys)
                || !distribution.equals(wanted.distribution == null ? "" : wanted.distribution.name())) {
            return true;
        }
        return keys.stream()
                .anyMatch(
                        k -> !types.get(k).equals(wanted.column(k).orElseThrow().type()));
    }

    private static void field(StringBuilder sb, String value) {
        sb.append(value.length()).append(':').append(value);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

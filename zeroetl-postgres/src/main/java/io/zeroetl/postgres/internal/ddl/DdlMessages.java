package io.zeroetl.postgres.internal.ddl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the DDL trigger's messages into {@link SchemaChangeEvent}s, after checking their signature: a
 * message is {@code <hex HMAC-SHA256>:<json>} signed with the key in {@code zeroetl.ddl_key} (see
 * {@link DdlTrigger}); anything else may have been written by any database user and is refused.
 */
public final class DdlMessages {
    /** The prefix of the logical messages the DDL trigger emits. */
    public static final String PREFIX = "zeroetl_ddl";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The key's two HMAC halves: the key xor the inner pad, and xor the outer pad. */
    public record Key(byte[] inner, byte[] outer) {}

    private DdlMessages() {}

    /**
     * The schema change a message describes, or empty when its signature does not verify with {@code key}.
     *
     * @param describe the table's current columns as the catalog shows them (for a message saying that the
     *     trigger failed to capture a change)
     * @param publication the publication the stream reads, or null when not known: a message about another
     *     publication asks nothing of this pipeline
     * @throws IllegalArgumentException when a signed message does not parse
     */
    public static Optional<SchemaChangeEvent> decode(
            byte[] content,
            Key key,
            PgTypes types,
            Function<TableId, Optional<TableSchema>> describe,
            String publication) {
        // the signature covers the bytes as written (UTF-8, whatever the database's encoding)
        int colon = 64;
        if (key == null
                || content.length <= colon
                || content[colon] != ':'
                || !verify(
                        key,
                        new String(content, 0, colon, StandardCharsets.US_ASCII),
                        Arrays.copyOfRange(content, colon + 1, content.length))) {
            return Optional.empty();
        }
        JsonNode m;
        try {
            m = JSON.readTree(new String(content, colon + 1, content.length - colon - 1, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("a signed DDL message is not JSON: " + e.getMessage(), e);
        }
        TableId table = TableId.of(m.path("schema").asText(), m.path("table").asText());
        String tag = m.path("tag").asText();
        if (tag.equals("CAPTURE FAILED")) {
            TableSchema now = describe.apply(table).orElse(null);
            if (now == null) {
                return Optional.empty();
            }
            return Optional.of(new SchemaChangeEvent(
                    table,
                    tag,
                    m.path("statement").asText(""),
                    now,
                    Map.of(),
                    null,
                    m.path("statement").asText("").isEmpty()
                            ? m.path("error").asText()
                            : "the source's DDL capture failed on "
                                    + m.path("statement").asText() + " ("
                                    + m.path("error").asText() + ")"));
        }
        List<Column> columns = new ArrayList<>();
        List<CapturedDdl.CapturedColumn> after = new ArrayList<>();
        for (JsonNode c : m.path("columns")) {
            int oid = (int) c.path("type").asLong();
            PgTypes.Info info = types.info(oid);
            columns.add(new Column(
                    c.path("name").asText(),
                    info.columnType(oid, c.path("typmod").asInt(-1)),
                    c.path("key").asBoolean(),
                    true));
            after.add(new CapturedDdl.CapturedColumn(
                    c.path("attnum").asInt(),
                    c.path("name").asText(),
                    oid,
                    c.path("typmod").asInt(-1),
                    true));
        }
        TableSchema.ReplicaIdentity identity = switch (m.path("identity").asText("d")) {
            case "f" -> TableSchema.ReplicaIdentity.FULL;
            case "i" -> TableSchema.ReplicaIdentity.INDEX;
            case "n" -> TableSchema.ReplicaIdentity.NOTHING;
            default -> TableSchema.ReplicaIdentity.DEFAULT;
        };
        Map<String, String> renames = new LinkedHashMap<>();
        for (JsonNode r : m.path("renames")) {
            renames.put(r.path("from").asText(), r.path("to").asText());
        }
        TableId from = m.path("fromTable").isTextual()
                ? TableId.of(m.path("fromSchema").asText(), m.path("fromTable").asText())
                : null;
        String statement = m.path("statement").asText("");
        String recopy = null;
        String about = m.path("publication").isTextual() ? m.path("publication").asText() : null;
        if (about == null || publication == null || about.equals(publication)) {
            recopy = DdlEffects.recopy(new CapturedDdl(
                    tag,
                    statement,
                    before(m.path("before")),
                    after,
                    m.path("rewrite").asInt(0),
                    m.path("recopy").isTextual() ? m.path("recopy").asText() : null));
        }
        return Optional.of(new SchemaChangeEvent(
                table,
                tag,
                statement,
                new TableSchema(table, columns, identity),
                renames,
                table.equals(from) ? null : from,
                recopy,
                switch (tag) {
                    case "CREATE TABLE", "CREATE TABLE AS", "SELECT INTO" -> SchemaChangeEvent.Kind.CREATED;
                    case "DROP TABLE" -> SchemaChangeEvent.Kind.DROPPED;
                    default -> SchemaChangeEvent.Kind.ALTERED;
                }));
    }

    /** The columns the trigger had recorded before the command; null when it had none. */
    private static List<CapturedDdl.CapturedColumn> before(JsonNode before) {
        if (!before.isArray()) {
            return null;
        }
        List<CapturedDdl.CapturedColumn> columns = new ArrayList<>();
        for (JsonNode c : before) {
            columns.add(new CapturedDdl.CapturedColumn(
                    c.path("attnum").asInt(),
                    c.path("name").asText(),
                    (int) c.path("type").asLong(),
                    c.path("typmod").asInt(-1),
                    // recorded by an earlier version of the trigger: as published as any other column
                    !c.path("published").isBoolean() || c.path("published").asBoolean()));
        }
        return columns;
    }

    /** HMAC-SHA256 (RFC 2104) of {@code message}, compared in constant time with {@code signature}. */
    static boolean verify(Key key, String signature, byte[] message) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key.inner());
            byte[] inner = sha.digest(message);
            sha.update(key.outer());
            byte[] mac = sha.digest(inner);
            byte[] given;
            try {
                given = HexFormat.of().parseHex(signature);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(mac, given);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

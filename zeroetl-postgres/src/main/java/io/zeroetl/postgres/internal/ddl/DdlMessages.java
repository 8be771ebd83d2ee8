package io.zeroetl.postgres.internal.ddl;

import io.zeroetl.TableId;
import io.zeroetl.change.Column;
import io.zeroetl.change.ColumnType;
import io.zeroetl.change.SchemaChangeEvent;
import io.zeroetl.change.TableSchema;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the DDL trigger's messages into {@link SchemaChangeEvent}s. */
public final class DdlMessages {
    /** The prefix of the logical messages the DDL trigger emits. */
    public static final String PREFIX = "zeroetl_ddl";

    private DdlMessages() {
    }

    @SuppressWarnings("unchecked")
    public static SchemaChangeEvent decode(byte[] content, PgTypes types) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(new String(content, StandardCharsets.UTF_8));
        TableId table = TableId.of((String) m.get("schema"), (String) m.get("table"));
        List<Column> columns = new ArrayList<>();
        for (Object o : (List<Object>) m.get("columns")) {
            Map<String, Object> c = (Map<String, Object>) o;
            int oid = ((BigDecimal) c.get("type")).intValue();
            int typmod = ((BigDecimal) c.get("typmod")).intValue();
            PgTypes.Info info = types.info(oid);
            columns.add(new Column((String) c.get("name"), new ColumnType(info.name(), oid, typmod, info.kind()),
                    Boolean.TRUE.equals(c.get("key")), true));
        }
        TableSchema.ReplicaIdentity identity = switch ((String) m.get("identity")) {
            case "f" -> TableSchema.ReplicaIdentity.FULL;
            case "i" -> TableSchema.ReplicaIdentity.INDEX;
            case "n" -> TableSchema.ReplicaIdentity.NOTHING;
            default -> TableSchema.ReplicaIdentity.DEFAULT;
        };
        Map<String, String> renames = new LinkedHashMap<>();
        for (Object o : (List<Object>) m.get("renames")) {
            Map<String, Object> r = (Map<String, Object>) o;
            renames.put((String) r.get("from"), (String) r.get("to"));
        }
        TableId from = m.get("fromTable") == null ? null
                : TableId.of((String) m.get("fromSchema"), (String) m.get("fromTable"));
        return new SchemaChangeEvent(table, (String) m.get("tag"), String.valueOf(m.get("statement")),
                new TableSchema(table, columns, identity), renames, table.equals(from) ? null : from);
    }
}

package io.zeroetl.postgres.internal.replication;

import io.zeroetl.postgres.internal.ddl.DdlMessages;
import io.zeroetl.postgres.internal.types.PgTypes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** What the decoder looks up in the source's catalog while it decodes: types, primary keys, the DDL key. */
public final class CatalogLookups {
    private final MetadataConnection metadata;

    /**
     * Lookups over {@code metadata}.
     *
     * @param metadata the source's metadata connection
     */
    public CatalogLookups(MetadataConnection metadata) {
        this.metadata = metadata;
    }

    /**
     * The DDL trigger's signing key, or null when there is none or this user may not read it.
     *
     * @return the key, or null
     */
    public DdlMessages.Key ddlKey() {
        return metadata.call(c -> {
            try (var s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT inner_key, outer_key FROM"
                            + " zeroetl.ddl_key WHERE has_table_privilege('zeroetl.ddl_key', 'SELECT')")) {
                return rs.next() ? new DdlMessages.Key(rs.getBytes(1), rs.getBytes(2)) : null;
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())
                        || "3F000".equals(e.getSQLState())
                        || "42501".equals(e.getSQLState())) {
                    return null;
                }
                throw e;
            }
        });
    }

    /**
     * The primary key columns of the table with {@code relid} (empty when it has none).
     *
     * @param relid the table's OID
     * @return the key's column names
     */
    public Set<String> primaryKey(int relid) {
        return metadata.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                            + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ? AND i.indisprimary")) {
                ps.setInt(1, relid);
                Set<String> key = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        key.add(rs.getString(1));
                    }
                }
                return key;
            }
        });
    }

    /**
     * The catalog row of the type with {@code oid}, or null when there is none.
     *
     * @param oid the type's OID
     * @return its row
     */
    public PgTypes.TypeRow typeRow(int oid) {
        return metadata.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.typname, t.typtype, t.typcategory, t.typelem,"
                    + " t.typbasetype, t.typdelim, t.typtypmod FROM pg_type t WHERE t.oid = ?")) {
                ps.setInt(1, oid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new PgTypes.TypeRow(
                            oid,
                            rs.getString(1),
                            rs.getString(2).charAt(0),
                            rs.getString(3).charAt(0),
                            rs.getInt(4),
                            rs.getInt(5),
                            rs.getString(6).charAt(0),
                            rs.getInt(7));
                }
            }
        });
    }
}

package io.zeroetl.testing.internal.redshift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The columns of the backing database's tables, with their Redshift types, read on a connection of its own. */
public final class BackingColumns implements AutoCloseable {
    private final CopyLoads.ConnectionSource connections;
    private Connection metadata;

    /** Reads through connections from {@code connections}. */
    public BackingColumns(CopyLoads.ConnectionSource connections) {
        this.connections = connections;
    }

    /** The columns of {@code table} with their Redshift types, empty when there is no such table. */
    public synchronized List<CopyLoads.Column> typed(String table) {
        try {
            if (metadata == null || metadata.isClosed()) {
                metadata = connections.open();
            }
            try (PreparedStatement ps = metadata.prepareStatement("SELECT attname, format_type(atttypid, atttypmod)"
                    + " FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped"
                    + " ORDER BY attnum")) {
                ps.setString(1, table);
                List<CopyLoads.Column> columns = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        columns.add(new CopyLoads.Column(rs.getString(1), RedshiftTypes.fromPostgres(rs.getString(2))));
                    }
                }
                return columns;
            }
        } catch (SQLException e) {
            return List.of();
        }
    }

    /** The names of {@code table}'s columns. */
    public List<String> names(String table) {
        return typed(table).stream().map(CopyLoads.Column::name).toList();
    }

    @Override
    public synchronized void close() {
        if (metadata != null) {
            try {
                metadata.close();
            } catch (SQLException e) {
                // the database is dropped next
            }
        }
    }
}

package io.zeroetl.postgres.internal.replication;

import io.zeroetl.postgres.internal.PgErrors;
import java.sql.Connection;
import java.sql.SQLException;

/** One regular connection to the source, shared and reopened when lost. Thread-safe. */
public final class MetadataConnection implements AutoCloseable {
    /** Work on the connection. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private final Connections connections;
    private Connection connection;

    public MetadataConnection(Connections connections) {
        this.connections = connections;
    }

    public synchronized <T> T call(Work<T> work) {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connections.regular();
            }
            return work.apply(connection);
        } catch (SQLException e) {
            closeQuietly();
            throw PgErrors.classify("querying the source", e);
        } catch (RuntimeException e) {
            if (connection != null) {
                try {
                    if (!connection.isValid(2)) {
                        closeQuietly();
                    }
                } catch (SQLException ignored) {
                    closeQuietly();
                }
            }
            throw e;
        }
    }

    public void run(Work<?> work) {
        call(work);
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already broken
            }
            connection = null;
        }
    }
}

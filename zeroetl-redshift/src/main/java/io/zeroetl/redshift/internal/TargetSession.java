package io.zeroetl.redshift.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier's one connection to Redshift and its transaction. The session keeps the case of identifiers
 * ({@code enable_case_sensitive_identifier}, as zero-ETL requires) and lets JSON_PARSE keep the last of
 * duplicate attributes as PostgreSQL's jsonb does ({@code json_parse_dedup_attributes}: super-configurations).
 */
final class TargetSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSession.class);

    /** Work done on each new connection once the applier holds the pipeline. */
    interface OnConnect {
        void accept(Connection c) throws SQLException;
    }

    private final String jdbcUrl;
    private final Properties properties;
    private Connection connection;
    private OnConnect onConnect = c -> {};

    TargetSession(String jdbcUrl, Properties properties) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
    }

    /** The connection, opened (again) when there is none or it broke. */
    Connection connection() throws SQLException {
        if (connection == null || !connection.isValid(5)) {
            close();
            connection = DriverManager.getConnection(jdbcUrl, properties);
            try (Statement s = connection.createStatement()) {
                s.execute("SET enable_case_sensitive_identifier TO true");
                s.execute("SET json_parse_dedup_attributes TO true");
            }
            onConnect.accept(connection);
        }
        return connection;
    }

    /** {@code work} runs on every connection opened from now on (e.g. recording it as the pipeline's holder). */
    void onConnect(OnConnect work) {
        this.onConnect = work;
    }

    /** The connection with a transaction open. */
    Connection begin() throws SQLException {
        Connection c = connection();
        c.setAutoCommit(false);
        return c;
    }

    /** Rolls back what is open; a connection that cannot even roll back is dropped. */
    void rollback() {
        try {
            if (connection != null && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("rollback failed; the connection is dropped", e);
            close();
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the Redshift connection", e);
            }
            connection = null;
        }
    }
}

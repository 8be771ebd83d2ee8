package io.zeroetl.postgres.internal.replication;

import io.zeroetl.Secret;
import io.zeroetl.postgres.internal.PgErrors;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to the source: regular ones for checks and lookups, and replication ones whose
 * session settings fix the text form of every value pgoutput sends.
 *
 * @param jdbcUrl the source's JDBC URL
 * @param user the user
 * @param password the password
 * @param extra extra pgjdbc properties (e.g. sslmode), copied
 */
public record Connections(String jdbcUrl, String user, Secret password, Properties extra) {
    /** The settings the decoders rely on. */
    static final String OUTPUT_SETTINGS = "-c DateStyle=ISO -c IntervalStyle=iso_8601 -c TimeZone=UTC"
            + " -c extra_float_digits=3 -c bytea_output=hex -c lc_monetary=C";

    /** Copies {@code extra}. */
    public Connections {
        Properties copy = new Properties();
        copy.putAll(extra);
        extra = copy;
    }

    /** A regular connection, autocommit on. */
    public Connection regular() {
        try {
            return DriverManager.getConnection(jdbcUrl, properties(false));
        } catch (SQLException e) {
            throw PgErrors.classify("connecting to the source PostgreSQL", e);
        }
    }

    /** A logical replication connection. */
    Connection replication() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, properties(true));
    }

    private Properties properties(boolean replication) {
        Properties props = new Properties();
        props.putAll(extra);
        props.setProperty("user", user);
        props.setProperty("password", password.reveal());
        props.setProperty("ApplicationName", "zeroetl");
        props.setProperty("options", OUTPUT_SETTINGS);
        if (replication) {
            props.setProperty("replication", "database");
            props.setProperty("assumeMinServerVersion", "12");
            props.setProperty("preferQueryMode", "simple");
        }
        return props;
    }
}

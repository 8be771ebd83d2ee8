package io.zeroetl.postgres.internal.replication;

import io.zeroetl.Secret;
import io.zeroetl.postgres.internal.PgErrors;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
        return replication(false);
    }

    /**
     * A logical replication connection; {@code rawText}: the server sends text as the database stores it, with
     * no conversion (for a SQL_ASCII database, whose text may be any bytes: converted for a UTF-8 client, one
     * value that is not UTF-8 would stop the stream).
     */
    Connection replication(boolean rawText) throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl, properties(true));
        if (rawText) {
            try (Statement s = c.createStatement()) {
                s.execute("SET client_encoding = 'SQL_ASCII'");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private Properties properties(boolean replication) {
        Properties props = new Properties();
        props.putAll(extra);
        props.setProperty("user", user);
        props.setProperty("password", password.reveal());
        props.setProperty("ApplicationName", "zeroetl");
        props.setProperty("options", OUTPUT_SETTINGS);
        // a copy from a SQL_ASCII database reads its text as stored (see replication(boolean))
        props.setProperty("allowEncodingChanges", "true");
        if (replication) {
            props.setProperty("replication", "database");
            props.setProperty("assumeMinServerVersion", "12");
            props.setProperty("preferQueryMode", "simple");
        }
        return props;
    }
}

package io.zeroetl.testing;

import io.zeroetl.testing.internal.Settings;
import io.zeroetl.testing.internal.postgres.Databases;
import io.zeroetl.testing.internal.postgres.RunningServer;
import io.zeroetl.testing.internal.postgres.ServerStarter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests, set up for logical replication ({@code wal_level=logical}, 64
 * replication slots and WAL senders), listening on a free loopback port.
 *
 * <p>By default the server binaries come from Maven Central (the {@code io.zonky.test.postgres}
 * artifacts, a dependency of this module), are unpacked once into a cache, and run in a temporary data
 * directory that {@link #close()} deletes. When the JVM runs as root the server runs as an unprivileged
 * user. Other backends — installed binaries, an external server, Docker — are chosen with
 * {@link Builder#backend(PostgresBackend)} or the settings described in {@code zeroetl-testing/README.md}.
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version(16).start()) {
 *     String db = pg.createDatabase();
 *     try (Connection c = pg.connect(db)) {
 *         c.createStatement().execute("CREATE TABLE orders (id int PRIMARY KEY)");
 *     }
 * }
 * }</pre>
 *
 * <p>Use {@link #shared()} (or {@link EmbeddedPostgresExtension}) to let many test classes share one
 * server per JVM, each in its own database.
 *
 * <p>Thread-safe. Methods never return null.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    /** The PostgreSQL major version used when none is chosen. */
    public static final int DEFAULT_VERSION = 16;
    /** Setting that chooses the backend for a whole test run. */
    public static final String BACKEND = "zeroetl.postgres.backend";
    /** Setting that chooses the major version for a whole test run. */
    public static final String VERSION = "zeroetl.postgres.version";

    private static final Map<String, EmbeddedPostgres> SHARED = new ConcurrentHashMap<>();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final RunningServer server;
    private final PostgresBackend backend;
    private final int majorVersion;
    private final boolean shared;

    private EmbeddedPostgres(RunningServer server, PostgresBackend backend, boolean shared) {
        this.server = server;
        this.backend = backend;
        this.shared = shared;
        this.majorVersion = queryMajorVersion();
    }

    /**
     * A builder with the defaults (or the run's settings) for backend and version.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a server of the default configuration; the caller closes it.
     *
     * @return the running server
     */
    public static EmbeddedPostgres start() {
        return builder().start();
    }

    /** {@return the JVM-wide server of the default configuration, started on first use, stopped at JVM exit} */
    public static EmbeddedPostgres shared() {
        return builder().shared();
    }

    /** {@return where this server came from} */
    public PostgresBackend backend() {
        return backend;
    }

    /** {@return the server's major version, as the server reports it} */
    public int majorVersion() {
        return majorVersion;
    }

    /**
     * Host clients connect to.
     *
     * @return the host
     */
    public String host() {
        return server.host();
    }

    /**
     * Port clients connect to.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /** {@return a superuser name (for the external backend: the configured user)} */
    public String user() {
        return server.user();
    }

    /** {@return the password of {@link #user()}. Never logged by this class} */
    public String password() {
        return server.password();
    }

    /**
     * The directory with the server's data ({@code data/}) and log ({@code postgres.log}) when the
     * server runs on this machine (maven and local backends); it is deleted by {@link #close()}.
     *
     * @return the directory, or empty for a server elsewhere
     */
    public Optional<Path> workDirectory() {
        return server.workDirectory();
    }

    /**
     * JDBC URL of the {@code postgres} database.
     *
     * @return the URL
     */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /**
     * JDBC URL of {@code database}.
     *
     * @param database the database's name
     * @return the URL
     */
    public String jdbcUrl(String database) {
        Objects.requireNonNull(database, "database");
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /**
     * {@return a new connection to the {@code postgres} database; the caller closes it}
     *
     * @throws SQLException when the connection fails
     */
    public Connection connect() throws SQLException {
        return connect("postgres");
    }

    /**
     * {@return a new connection to {@code database}; the caller closes it}
     *
     * @param database the database's name
     * @throws SQLException when the connection fails
     */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user());
        props.setProperty("password", password());
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /**
     * Creates a database with a fresh unique name and returns the name.
     *
     * @return the new database's name
     */
    public String createDatabase() {
        String name =
                "zeroetl_test_" + DATABASES.incrementAndGet() + "_" + Integer.toHexString(new SecureRandom().nextInt());
        createDatabase(name);
        return name;
    }

    /**
     * Creates {@code name}.
     *
     * @param name the database's name
     */
    public void createDatabase(String name) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quote(name));
        } catch (SQLException e) {
            throw new EmbeddedServerException("Could not create database " + quote(name) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops {@code name} if it exists, with the replication slots in it (ending the sessions that use
     * them) and any open sessions.
     *
     * @param name the database's name
     */
    public void dropDatabase(String name) {
        try (Connection c = connect()) {
            Databases.drop(c, name);
        } catch (SQLException e) {
            throw new EmbeddedServerException("Could not drop database " + quote(name) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the server (fast shutdown: sessions, replication included, are cut) and starts it again on
     * the same port with the same data. Not available for the external and Docker backends.
     */
    public void restart() {
        server.restart();
    }

    /** Stops the server and deletes its data. Does nothing for a {@link #shared()} server. */
    @Override
    public void close() {
        if (!shared) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + backend.key() + ", PostgreSQL " + majorVersion + ", " + host() + ":" + port()
                + ", user " + user() + "]";
    }

    private int queryMajorVersion() {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10_000;
        } catch (SQLException e) {
            server.close();
            throw new EmbeddedServerException(
                    "Could not connect to PostgreSQL at " + server.host() + ":" + server.port() + " as " + server.user()
                            + ": " + e.getMessage(),
                    e);
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * Configures an {@link EmbeddedPostgres}. Options left unset take the run's settings
     * ({@code zeroetl.postgres.backend}, {@code zeroetl.postgres.version}), then the defaults.
     * Not thread-safe.
     */
    public static final class Builder {
        private PostgresBackend backend;
        private Integer version;
        private String dockerHost;
        private final Map<String, String> serverSettings = new LinkedHashMap<>();

        private Builder() {
            serverSettings.put("wal_level", "logical");
            serverSettings.put("max_replication_slots", "64");
            serverSettings.put("max_wal_senders", "64");
            serverSettings.put("max_connections", "300");
            serverSettings.put("fsync", "off");
            serverSettings.put("full_page_writes", "off");
        }

        /**
         * Where the server comes from; default {@link PostgresBackend#MAVEN}.
         *
         * @param backend the backend
         * @return this builder
         */
        public Builder backend(PostgresBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * The PostgreSQL major version (15 or later); default {@value #DEFAULT_VERSION}.
         *
         * @param major the major version, e.g. 16
         * @return this builder
         */
        public Builder version(int major) {
            if (major < 12) {
                throw new IllegalArgumentException("version: zeroetl needs PostgreSQL 12 or later, got " + major);
            }
            this.version = major;
            return this;
        }

        /**
         * A server option passed as {@code -c name=value} (not for the external backend).
         *
         * @param name the setting's name
         * @param value its value
         * @return this builder
         */
        public Builder serverSetting(String name, String value) {
            serverSettings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The Docker engine to use for {@link PostgresBackend#DOCKER}; default DOCKER_HOST or the usual sockets.
         *
         * @param dockerHost the engine's address, e.g. {@code unix:///var/run/docker.sock}
         * @return this builder
         */
        public Builder dockerHost(String dockerHost) {
            this.dockerHost = Objects.requireNonNull(dockerHost, "dockerHost");
            return this;
        }

        /**
         * Starts a server that the caller must {@link #close()}.
         *
         * @return the running server
         */
        public EmbeddedPostgres start() {
            return new EmbeddedPostgres(startServer(), effectiveBackend(), false);
        }

        /**
         * The JVM-wide server of this configuration, started on first use and stopped when the JVM
         * exits; its {@link #close()} does nothing.
         *
         * @return the shared server
         */
        public EmbeddedPostgres shared() {
            String key = effectiveBackend() + "/" + requestedVersion() + "/" + dockerHost + "/" + serverSettings;
            return SHARED.computeIfAbsent(key, k -> new EmbeddedPostgres(startServer(), effectiveBackend(), true));
        }

        private PostgresBackend effectiveBackend() {
            if (backend != null) {
                return backend;
            }
            return Settings.get(BACKEND).map(PostgresBackend::fromKey).orElse(PostgresBackend.MAVEN);
        }

        private Optional<Integer> requestedVersion() {
            if (version != null) {
                return Optional.of(version);
            }
            return Settings.get(VERSION).map(v -> {
                try {
                    return Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            Settings.describe(VERSION) + " must be a major version such" + " as 16, got '" + v + "'",
                            e);
                }
            });
        }

        private RunningServer startServer() {
            return ServerStarter.start(
                    effectiveBackend(),
                    requestedVersion(),
                    requestedVersion().orElse(DEFAULT_VERSION),
                    dockerHost,
                    serverSettings);
        }
    }
}

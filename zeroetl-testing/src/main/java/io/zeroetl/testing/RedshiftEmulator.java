package io.zeroetl.testing;

import io.zeroetl.testing.internal.redshift.BackingColumns;
import io.zeroetl.testing.internal.redshift.BackingDatabase;
import io.zeroetl.testing.internal.redshift.CopyLoads;
import io.zeroetl.testing.internal.redshift.ProxyConfig;
import io.zeroetl.testing.internal.redshift.StatementLog;
import io.zeroetl.testing.internal.redshift.WireProxy;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Amazon Redshift for tests: a PostgreSQL database behind a wire-protocol proxy that the real Redshift
 * JDBC driver talks to, and that holds statements to Redshift's dialect — translating Redshift-only
 * syntax, behaving like Redshift where it differs, and rejecting what Redshift rejects. Every statement
 * is recorded, so a test can assert on exactly what was sent.
 *
 * <pre>{@code
 * try (RedshiftEmulator redshift = RedshiftEmulator.start();
 *      Connection c = redshift.connect()) {
 *     c.createStatement().execute("CREATE TABLE t (id INT, doc SUPER) DISTSTYLE KEY DISTKEY(id)");
 * }
 * }</pre>
 *
 * <p>The rules, and what is not modeled, are listed in {@code zeroetl-testing/README.md}. Thread-safe;
 * any number of clients may connect.
 */
public final class RedshiftEmulator implements AutoCloseable {
    /** A Redshift database's isolation level (c_serial_isolation). */
    public enum Isolation {
        /** Serializable: of two transactions that could not run one after the other, one fails (error 1023). */
        SERIALIZABLE,
        /** Snapshot: each transaction reads one snapshot; of two updating the same row, the later fails. */
        SNAPSHOT
    }

    private static final Logger LOG = LoggerFactory.getLogger(RedshiftEmulator.class);

    /** The database name clients use, as on a new Redshift cluster. */
    public static final String DATABASE = "dev";

    private final EmbeddedPostgres postgres;
    private final String backingDatabase;
    private final String user;
    private final String password;
    private final WireProxy proxy;
    private final StatementLog log;
    private final S3Server s3;
    private final CopyLoads copyLoads;
    private final BackingColumns columns;

    private RedshiftEmulator(Builder b) throws IOException, SQLException {
        // a server of its own (shared by the JVM's emulators), not the one sources use: a real target never
        // shares transactions with the source, and a shared server would let a target transaction hold up
        // the creation of a logical slot on the source (which waits for every running transaction)
        this.postgres = b.postgres != null
                ? b.postgres
                : EmbeddedPostgres.builder()
                        .serverSetting("cluster_name", "zeroetl_redshift_emulator")
                        // nothing replicates from a target, and a cluster keeps no write-ahead log of ours: a load
                        // into a table made in the same transaction then writes its rows once, not twice
                        .serverSetting("wal_level", "minimal")
                        .serverSetting("max_wal_senders", "0")
                        .shared();
        this.user = b.user;
        this.password = b.password != null ? b.password : BackingDatabase.randomPassword();
        this.backingDatabase = postgres.createDatabase();
        this.columns = new BackingColumns(() -> postgres.connect(backingDatabase));
        try (Connection c = postgres.connect(backingDatabase)) {
            BackingDatabase.prepare(
                    c,
                    backingDatabase,
                    c.getMetaData().getDatabaseProductVersion(),
                    new BackingDatabase.Cluster(
                            b.isolation == Isolation.SNAPSHOT, b.serverless, b.slices, b.caseSensitive));
        }
        this.log = new StatementLog(b.recordTo);
        this.s3 = b.s3;
        this.copyLoads = b.s3 == null
                ? null
                : new CopyLoads(
                        b.s3.endpoint(),
                        b.s3.accessKeyId(),
                        b.s3.secretAccessKey(),
                        () -> postgres.connect(backingDatabase));
        this.proxy = WireProxy.start(new ProxyConfig(
                postgres.host(),
                postgres.port(),
                postgres.user(),
                postgres.password(),
                backingDatabase,
                user,
                password,
                DATABASE,
                log,
                columns::names,
                b.beforeStatement,
                copyLoads,
                columns::typed,
                b.caseSensitive));
    }

    /**
     * A builder: backing server, user, password, statement file.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return an emulator on the JVM's shared {@link EmbeddedPostgres}, with a fresh database} */
    public static RedshiftEmulator start() {
        return builder().start();
    }

    /**
     * {@code jdbc:redshift://127.0.0.1:PORT/dev?ssl=false}: usable as given with the Redshift driver and with
     * {@code RedshiftTarget.builder().jdbcUrl(...)} (the emulator speaks no TLS), plus {@link #user()} and
     * {@link #password()}.
     *
     * @return the URL
     */
    public String jdbcUrl() {
        return "jdbc:redshift://127.0.0.1:" + proxy.port() + "/" + DATABASE + "?ssl=false";
    }

    /** {@return the host the emulator listens on (loopback)} */
    public String host() {
        return "127.0.0.1";
    }

    /** {@return the port the emulator listens on} */
    public int port() {
        return proxy.port();
    }

    /** {@return the user clients log in as (default {@code awsuser})} */
    public String user() {
        return user;
    }

    /** {@return that user's password} */
    public String password() {
        return password;
    }

    /**
     * User, password and {@code ssl=false}: what the Redshift driver needs to connect.
     *
     * @return new properties for {@code DriverManager.getConnection}
     */
    public Properties connectionProperties() {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("ssl", "false");
        return props;
    }

    /**
     * A connection through the emulator with the Redshift JDBC driver (which must be on the classpath:
     * {@code com.amazon.redshift:redshift-jdbc42}); the caller closes it.
     *
     * @return the connection; the caller closes it
     * @throws SQLException when the connection fails
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), connectionProperties());
    }

    /**
     * {@return a direct PostgreSQL connection to the backing database, bypassing the emulator (for assertions)}
     *
     * @throws SQLException when the connection fails
     */
    public Connection connectPostgres() throws SQLException {
        return postgres.connect(backingDatabase);
    }

    /** {@return the JDBC URL of the backing PostgreSQL database} */
    public String postgresJdbcUrl() {
        return postgres.jdbcUrl(backingDatabase);
    }

    /**
     * Every statement received so far, in order.
     *
     * @return the statements, a copy
     */
    public List<RecordedStatement> statements() {
        return log.all();
    }

    /** {@return the statements the emulator rejected} */
    public List<RecordedStatement> rejectedStatements() {
        return log.rejected();
    }

    /** Forgets the statements recorded so far. */
    public void clearStatements() {
        log.clear();
    }

    /** Stops the proxy and drops the backing database. */
    @Override
    public void close() {
        proxy.close();
        if (copyLoads != null) {
            copyLoads.close();
        }
        columns.close();
        try {
            postgres.dropDatabase(backingDatabase);
        } catch (EmbeddedServerException e) {
            if (!(e.getCause() instanceof SQLException sql)
                    || sql.getSQLState() == null
                    || !sql.getSQLState().startsWith("08")) {
                throw e;
            }
            // the backing server stopped first (its own shutdown hook, a test's order): the database went with it
            LOG.debug("The backing server of {} is already stopped; nothing to drop", this);
        }
        log.close();
    }

    @Override
    public String toString() {
        return "RedshiftEmulator[" + jdbcUrl() + ", user " + user + ", backed by " + postgres + "]";
    }

    /** {@return the S3 server COPY reads, or null when the emulator was built without one} */
    public S3Server s3() {
        return s3;
    }

    /** Configures a {@link RedshiftEmulator}. Not thread-safe. */
    public static final class Builder {
        private EmbeddedPostgres postgres;
        private String user = "awsuser";
        private String password;
        private Path recordTo;
        private Consumer<String> beforeStatement = sql -> {};
        private S3Server s3;
        private Isolation isolation =
                Isolation.valueOf(System.getProperty("zeroetl.emulator.isolation", "SERIALIZABLE"));
        private boolean serverless;
        private int slices = 2;
        private boolean caseSensitive;

        private Builder() {}

        /**
         * The database's isolation level (c_serial_isolation): SERIALIZABLE (the default here, as on clusters
         * made before SNAPSHOT became the default; {@code -Dzeroetl.emulator.isolation=SNAPSHOT} changes the default,
         * to run a whole suite against the other) or SNAPSHOT, modeled by PostgreSQL's REPEATABLE READ, which
         * is snapshot isolation with the first updater winning, as Redshift's is.
         *
         * @param isolation the isolation level
         * @return this builder
         */
        public Builder isolation(Isolation isolation) {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        /**
         * Models Redshift Serverless: SNAPSHOT isolation, its default, and no STL tables (a query of
         * STL_LOAD_ERRORS fails; SYS_LOAD_ERROR_DETAIL holds COPY's errors).
         *
         * @return this builder
         */
        public Builder serverless() {
            this.serverless = true;
            this.isolation = Isolation.SNAPSHOT;
            return this;
        }

        /**
         * Turns enable_case_sensitive_identifier on for every new session, as a cluster's parameter group can
         * (default off, Redshift's default: r_enable_case_sensitive_identifier).
         *
         * @param on whether new sessions keep the case of quoted names
         * @return this builder
         */
        public Builder caseSensitiveIdentifiers(boolean on) {
            this.caseSensitive = on;
            return this;
        }

        /**
         * How many slices STV_SLICES lists (default 2, as on a one-node cluster of the smallest node types).
         *
         * @param slices at least 1
         * @return this builder
         */
        public Builder slices(int slices) {
            if (slices < 1) {
                throw new IllegalArgumentException("slices must be at least 1, not " + slices);
            }
            this.slices = slices;
            return this;
        }

        /**
         * Calls {@code hook} with each statement a client sends, on the connection's thread, before the
         * emulator does anything with it: a place to inject faults (kill the client, stall, throw to cut
         * the connection, or throw {@link InjectedFailure} to fail just that statement with an SQLSTATE) at
         * exact points of a protocol.
         *
         * @param hook called with each statement's text
         * @return this builder
         */
        public Builder beforeStatement(Consumer<String> hook) {
            this.beforeStatement = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * The PostgreSQL server to keep the data in; default: one server shared by the JVM's emulators,
         * apart from {@link EmbeddedPostgres#shared()}.
         *
         * @param postgres the server
         * @return this builder
         */
        public Builder postgres(EmbeddedPostgres postgres) {
            this.postgres = Objects.requireNonNull(postgres, "postgres");
            return this;
        }

        /**
         * The user clients log in as; default {@code awsuser}.
         *
         * @param user the user's name
         * @return this builder
         */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * Their password; default a random one.
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The S3 that {@code COPY ... FROM 's3://...'} reads (with the COPY's own keys when it names them; an
         * IAM_ROLE is taken to grant access). Without it, COPY is refused.
         *
         * @param server the S3 server
         * @return this builder
         */
        public Builder s3(S3Server server) {
            this.s3 = Objects.requireNonNull(server, "server");
            return this;
        }

        /**
         * Also appends every statement to {@code file}.
         *
         * @param file the file to append to
         * @return this builder
         */
        public Builder recordTo(Path file) {
            this.recordTo = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Prepares a fresh backing database and starts the proxy.
         *
         * @return the running emulator; close it
         */
        public RedshiftEmulator start() {
            try {
                return new RedshiftEmulator(this);
            } catch (IOException | SQLException e) {
                throw new EmbeddedServerException("Could not start the Redshift emulator: " + e.getMessage(), e);
            }
        }
    }
}

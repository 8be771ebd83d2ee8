package io.zeroetl.testing.internal.postgres;

import io.zeroetl.testing.EmbeddedServerException;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from binaries on this machine: {@code initdb} into a fresh temporary
 * directory, then {@code postgres} on a free loopback port, as an unprivileged user when the JVM is
 * root. Everything is deleted on {@link #close()}, and at JVM exit if the owner forgot.
 */
public final class PostgresProcess implements RunningServer {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresProcess.class);
    private static final String USER = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path bin;
    private final Map<String, String> settings;
    private final ServerUser osUser;
    private final Path workDir;
    private final Path dataDir;
    private final Path logFile;
    private final String password;
    private final Thread shutdownHook;
    private int port;
    private Process process;
    private boolean closed;

    private PostgresProcess(Path bin, Map<String, String> settings) throws IOException {
        this.bin = bin;
        this.settings = Map.copyOf(settings);
        this.osUser = ServerUser.forThisProcess();
        this.workDir = Files.createTempDirectory("zeroetl-pg-");
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("postgres.log");
        this.password = randomPassword();
        this.shutdownHook = new Thread(this::stopQuietly, "zeroetl-postgres-shutdown");
    }

    /**
     * Initialises and starts a server from the binaries in {@code bin}, with {@code settings} as
     * {@code -c name=value} server options.
     */
    public static PostgresProcess start(Path bin, Map<String, String> settings) {
        PostgresProcess server;
        try {
            server = new PostgresProcess(bin, settings);
        } catch (IOException e) {
            throw new EmbeddedServerException(
                    "Could not create a temporary directory for PostgreSQL: " + e.getMessage()
                            + ". Check java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ").",
                    e);
        }
        try {
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            server.initdb();
            server.startServer();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The major version of the binaries in {@code bin}, from {@code postgres --version}. */
    public static int majorVersion(Path bin) {
        try {
            Process p = new ProcessBuilder(bin.resolve("postgres").toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            // "postgres (PostgreSQL) 16.15" or "postgres (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)"
            String version = out.replaceAll("^.*\\(PostgreSQL\\) ", "").split("[ .]")[0];
            return Integer.parseInt(version.replaceAll("[^0-9].*", ""));
        } catch (IOException | NumberFormatException e) {
            throw new EmbeddedServerException(
                    "Could not run " + bin.resolve("postgres") + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedServerException("Interrupted while asking " + bin + " for its version", e);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public Optional<Path> workDirectory() {
        return Optional.of(workDir);
    }

    @Override
    public synchronized void restart() {
        stopServer();
        startServer();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running or has run
        }
    }

    private void initdb() {
        try {
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));
            osUser.own(workDir);
            Path passwordFile = workDir.resolve("pwfile");
            Files.writeString(passwordFile, password + "\n");
            osUser.own(passwordFile);
            List<String> command = new ArrayList<>(osUser.commandPrefix());
            command.addAll(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    dataDir.toString(),
                    "-U",
                    USER,
                    "--pwfile=" + passwordFile,
                    "--auth-host=scram-sha-256",
                    "--auth-local=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync"));
            Path initLog = workDir.resolve("initdb.log");
            Process initdb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(initLog.toFile())
                    .start();
            boolean done = initdb.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Files.deleteIfExists(passwordFile);
            if (!done || initdb.exitValue() != 0) {
                initdb.destroyForcibly();
                throw new EmbeddedServerException("initdb failed"
                        + (done
                                ? " with exit code " + initdb.exitValue()
                                : " to finish in " + START_TIMEOUT.toSeconds() + " s")
                        + " (running as '" + osUser.name()
                        + "'):\n" + tail(initLog));
            }
        } catch (IOException e) {
            throw new EmbeddedServerException("Could not run initdb from " + bin + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedServerException("Interrupted while running initdb", e);
        }
    }

    private void startServer() {
        for (int attempt = 1; ; attempt++) {
            if (port == 0 || attempt > 1) {
                port = freePort();
            }
            try {
                launch();
                awaitReady();
                LOG.info("PostgreSQL from {} accepting connections on {}:{} (data in {})", bin, host(), port, dataDir);
                return;
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw new EmbeddedServerException(
                            "PostgreSQL could not bind a free port three times:\n" + tail(logFile));
                }
            }
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>(osUser.commandPrefix());
        command.addAll(
                List.of(bin.resolve("postgres").toString(), "-D", dataDir.toString(), "-p", Integer.toString(port)));
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("listen_addresses", host());
        all.put("unix_socket_directories", "");
        all.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new EmbeddedServerException("Could not start " + bin.resolve("postgres") + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = tail(logFile);
                if (log.contains("could not bind") || log.contains("Address already in use")) {
                    throw new PortTaken();
                }
                throw new EmbeddedServerException("PostgreSQL exited with code " + process.exitValue()
                        + " while starting (running as '" + osUser.name() + "'):\n" + log);
            }
            try (Connection connection = connect()) {
                if (connection.isValid(2)) {
                    return;
                }
            } catch (SQLException e) {
                last = e;
                pause();
            }
        }
        stopServer();
        throw new EmbeddedServerException("PostgreSQL did not accept connections within " + START_TIMEOUT.toSeconds()
                + " s (last error: " + (last == null ? "none" : last.getMessage()) + "):\n" + tail(logFile));
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "2");
        return DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + port + "/postgres", props);
    }

    private void stopQuietly() {
        try {
            synchronized (this) {
                stopServer();
            }
            BinaryDistribution.deleteTree(workDir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not clean up PostgreSQL in {}: {}", workDir, e.toString());
        }
    }

    /** Fast shutdown (SIGINT): open sessions, replication included, are disconnected. */
    private void stopServer() {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(running.pid())).start();
            kill.waitFor(10, TimeUnit.SECONDS);
            if (!running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("PostgreSQL on port {} did not stop within {} s; killing it", port, STOP_TIMEOUT.toSeconds());
                running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            running.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedServerException("No free loopback port: " + e.getMessage(), e);
        }
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedServerException("Interrupted while waiting for PostgreSQL to start", e);
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + file + ")";
        }
    }

    /** The chosen port was taken between choosing it and binding it. */
    private static final class PortTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public String toString() {
        return "PostgresProcess[" + bin + File.separator + "postgres on " + host() + ":" + port + "]";
    }
}

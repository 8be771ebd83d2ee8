package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ValidationBuilder;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.FaultProxy;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What every reliability test runs on: a source PostgreSQL and the Redshift emulator's PostgreSQL, both
 * of their own (so either can be restarted), fault proxies in front of both, and the pipeline in a child
 * JVM whose whole output goes to one log. Passwords are distinctive, so the log can be scanned for them.
 * The emulator calls {@link #beforeStatement} for each statement, where an armed trigger kills the child.
 */
final class Rig implements AutoCloseable {
    static final String SOURCE_USER = "zeroetl rel";
    final String sourcePassword = "src-" + UUID.randomUUID() + "-'\"\\";
    final String targetPassword =
            "Tgt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + "x9";
    final EmbeddedPostgres source;
    final EmbeddedPostgres targetServer;
    final RedshiftEmulator redshift;
    final FaultProxy sourceProxy;
    final FaultProxy targetProxy;
    /** The staging bucket ({@code set("s3", "true")}); the pipeline reaches it through {@link #s3Proxy}. */
    final S3Server s3;

    final FaultProxy s3Proxy;
    static final String BUCKET = "zeroetl-staging";
    final String db;
    final Path dir;
    final Path log;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<Process> children = new ArrayList<>();
    private final List<FaultProxy> proxies = new ArrayList<>();
    private volatile Process child;
    private volatile Predicate<String> killWhen;
    private volatile Predicate<String> actWhen;
    private volatile Runnable action;
    private volatile String killedAt;
    private int runs;

    Rig(Path dir) throws SQLException {
        this(dir, null);
    }

    /** As above, the source database created with {@code databaseOptions} (e.g. its encoding), or null. */
    Rig(Path dir, String databaseOptions) throws SQLException {
        this.dir = dir;
        this.log = dir.resolve("child.log");
        this.source = EmbeddedPostgres.builder()
                .serverSetting("logical_decoding_work_mem", "64kB")
                .serverSetting("max_replication_slots", "20")
                .serverSetting("max_wal_senders", "20")
                .start();
        this.targetServer = EmbeddedPostgres.builder()
                .serverSetting("cluster_name", "zeroetl_redshift_emulator")
                .serverSetting("enable_nestloop", "off")
                .start();
        this.s3 = S3Server.start();
        s3.createBucket(BUCKET);
        this.redshift = RedshiftEmulator.builder()
                .postgres(targetServer)
                .password(targetPassword)
                .s3(s3)
                .beforeStatement(this::beforeStatement)
                .recordTo(dir.resolve("statements.log"))
                .start();
        if (databaseOptions == null) {
            this.db = source.createDatabase();
        } else {
            this.db = "zeroetl_rig_" + Long.toHexString(System.nanoTime());
            try (Connection c = source.connect();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db + " " + databaseOptions);
            }
        }
        try (Connection c = source.connect(db);
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + Sql.id(SOURCE_USER) + " LOGIN SUPERUSER REPLICATION PASSWORD "
                    + Sql.literal(sourcePassword));
        }
        this.sourceProxy = FaultProxy.to(source.host(), source.port());
        this.targetProxy = FaultProxy.to(redshift.host(), redshift.port());
        this.s3Proxy = FaultProxy.to(s3.host(), s3.port());
        settings.put("include", "public.*");
        settings.put("exclude", "");
        settings.put("history", "");
    }

    Rig set(String name, String value) {
        settings.put(name, value);
        return this;
    }

    Connection connect() throws SQLException {
        return source.connect(db);
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Creates the mixed workload's tables, starts it and one pipeline JVM, and returns once the initial
     * copy is done and the pipeline streams.
     */
    MixedWorkload streamUnderWorkload() throws Exception {
        set("exclude", "public.accounts_audit");
        MixedWorkload.createTables(this, 5_000, 1_000);
        MixedWorkload workload = MixedWorkload.start(this, 5_000, 1_000, 2, true);
        startChild();
        awaitChildPrinted("STATE SNAPSHOTTING -> STREAMING", Duration.ofMinutes(3));
        return workload;
    }

    /**
     * {@link #converge(List)} over every replicated table with the JVM that ran throughout, and checks that
     * it was the only one, the target equals the source and no table failed.
     */
    ValidationReport convergeInOneJvm() throws Exception {
        ValidationReport report = converge(SourceTables.replicated(this, "accounts_audit"));
        assertThat(report.clean()).as("the target equals the source: " + report).isTrue();
        assertThat(failedTables()).isEmpty();
        assertThat(runs()).as("one pipeline JVM throughout").isEqualTo(1);
        return report;
    }

    /** Starts a pipeline JVM that connects through the proxies; it runs until killed or {@link #converge(List)}. */
    Process startChild() throws IOException {
        Files.writeString(
                log,
                "=== child " + (runs + 1) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Process started = startJvm(sourceProxy, targetProxy, log, dir.resolve("stop"));
        child = started;
        return started;
    }

    /**
     * Starts one of several pipeline JVMs running the same pipeline at once: it has its own log and its own
     * proxies in front of the source and the target, so either path can be cut for it alone.
     */
    Replica startReplica(String name) throws IOException {
        FaultProxy toSource = FaultProxy.to(source.host(), source.port());
        FaultProxy toTarget = FaultProxy.to(redshift.host(), redshift.port());
        proxies.add(toSource);
        proxies.add(toTarget);
        Path replicaLog = dir.resolve(name + ".log");
        Path stop = dir.resolve(name + ".stop");
        return new Replica(name, startJvm(toSource, toTarget, replicaLog, stop), replicaLog, toSource, toTarget, stop);
    }

    private Process startJvm(FaultProxy toSource, FaultProxy toTarget, Path output, Path stop) throws IOException {
        Properties p = new Properties();
        p.putAll(settings);
        p.put("source.url", toSource.jdbcUrl(source.jdbcUrl(db)));
        p.put("source.user", SOURCE_USER);
        p.put("source.password", sourcePassword);
        p.put("target.url", toTarget.jdbcUrl(redshift.jdbcUrl()));
        p.put("target.user", redshift.user());
        p.put("target.password", targetPassword);
        p.put("stop", stop.toString());
        // -Dzeroetl.verifyMs=N: the children verify every N ms (a table failing on any drift) instead of every 10 min
        p.put("verifyMs", System.getProperty("zeroetl.verifyMs", "0"));
        p.put("s3.endpoint", "http://" + s3Proxy.host() + ":" + s3Proxy.port());
        p.put("s3.bucket", BUCKET);
        p.put("s3.key", s3.accessKeyId());
        p.put("s3.secret", s3.secretAccessKey());
        Path file = dir.resolve("child-" + (++runs) + ".properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process started = new ProcessBuilder(
                        java.toString(),
                        "-Xmx512m",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReliabilityChild.class.getName(),
                        file.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        children.add(started);
        return started;
    }

    /** Kills the child at the first statement the emulator receives that {@code when} accepts. */
    void killAt(String moment, Predicate<String> when) {
        killedAt = null;
        killWhen = sql -> {
            if (when.test(sql)) {
                killedAt = moment;
                return true;
            }
            return false;
        };
    }

    /** Kills the child now, as {@code moment}. */
    void killNow(String moment) throws InterruptedException {
        killWhen = null;
        killedAt = moment;
        kill();
    }

    /** Kills the child now (SIGKILL) and waits for it to be gone. */
    void kill() throws InterruptedException {
        Process p = child;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits up to {@code timeout} for the armed trigger to kill the child; kills it when it did not fire.
     *
     * @return the moment it was killed at, or null when the trigger never fired
     */
    String awaitKill(Duration timeout) throws InterruptedException {
        Process p = child;
        boolean died = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        killWhen = null;
        if (!died) {
            kill();
            return null;
        }
        assertThat(p.exitValue())
                .as("the pipeline JVM was killed, it did not exit by itself; see " + log)
                .isNotZero();
        return killedAt;
    }

    /** How many pipeline JVMs were started. */
    int runs() {
        return runs;
    }

    /** Whether the current pipeline JVM is running. */
    boolean childAlive() {
        Process p = child;
        return p != null && p.isAlive();
    }

    /** For each table the pipeline JVMs printed going FAILED (as a host sees it in the status), the last reason. */
    Map<String, String> printedFailures() throws IOException {
        Map<String, String> reasons = new HashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            int failed = line.indexOf(" FAILED ");
            if (line.startsWith("TABLE ") && failed > 0) {
                reasons.put(line.substring("TABLE ".length(), failed), line.substring(failed + " FAILED ".length()));
            }
        }
        return reasons;
    }

    /** Whether the child printed {@code text} since it started. */
    boolean childPrinted(String text) throws IOException {
        String all = Files.readString(log, StandardCharsets.UTF_8);
        return all.substring(all.lastIndexOf("=== child ")).contains(text);
    }

    /** Waits until the child printed {@code text}. */
    void awaitChildPrinted(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!childPrinted(text)) {
            if (System.nanoTime() > deadline || !child.isAlive() && !childPrinted(text)) {
                throw new AssertionError("the pipeline JVM did not print " + text + "; its output: " + tail());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /**
     * Runs a last pipeline JVM with no faults (or keeps the running one), validates {@code tables} row by row while it runs (validation
     * waits until the target caught up with the source), lets it end, and checks that nothing failed, nothing was rejected and no secret was
     * printed.
     */
    ValidationReport converge(List<String> tables) throws Exception {
        killWhen = null;
        sourceProxy.heal();
        targetProxy.heal();
        Process last = child != null && child.isAlive() ? child : startChild();
        awaitChildPrinted("STARTED", Duration.ofMinutes(5));
        ValidationBuilder validation = ZeroEtl.validate(directSource(), directTarget())
                .pipelineId(settings.getOrDefault("pipeline", "reliability"))
                .tables(tables.toArray(String[]::new))
                .timeout(Duration.ofMinutes(10));
        ValidationReport report = validation.run();
        Files.writeString(dir.resolve("stop"), "");
        assertThat(last.waitFor(10, TimeUnit.MINUTES))
                .as("the last pipeline JVM caught up and ended")
                .isTrue();
        assertThat(childPrinted("CAUGHT_UP"))
                .as("caught up; its output: " + tail())
                .isTrue();
        assertThat(last.exitValue()).isZero();
        Files.delete(dir.resolve("stop"));
        assertThat(redshift.rejectedStatements())
                .as("every statement zeroetl sent is valid Redshift")
                .isEmpty();
        assertNoSecretPrinted();
        return report;
    }

    /** The log holds neither password, nor any of their quoted or URL-encoded forms. */
    void assertNoSecretPrinted() throws IOException {
        String all = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(all).as("the pipeline JVM printed something").contains("STARTED");
        assertThat(all)
                .as("no S3 secret key in anything the pipeline JVM printed")
                .doesNotContain(s3.secretAccessKey());
        for (String secret : List.of(sourcePassword, targetPassword)) {
            String core = secret.substring(4, 24);
            assertThat(all)
                    .as("no password in anything the pipeline JVM printed")
                    .doesNotContain(core);
            assertThat(all).doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        }
    }

    PostgresSource directSource() {
        return PostgresSource.builder()
                .jdbcUrl(source.jdbcUrl(db))
                .user(SOURCE_USER)
                .password(sourcePassword)
                .build();
    }

    RedshiftTarget directTarget() {
        return RedshiftTarget.builder()
                .jdbcUrl(redshift.jdbcUrl())
                .user(redshift.user())
                .password(targetPassword)
                .ssl(false)
                .build();
    }

    /** Tables FAILED in the target's records, with their reasons. */
    List<String> failedTables() throws SQLException {
        List<String> failed = new ArrayList<>();
        try (Connection c = redshift.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT table_name, state, reason FROM zeroetl.zeroetl_table_state WHERE state = 'FAILED'")) {
            while (rs.next()) {
                failed.add(rs.getString(1) + ": " + rs.getString(3));
            }
        } catch (SQLException e) {
            if (!e.getMessage().contains("zeroetl_table_state")) {
                throw e;
            }
        }
        return failed;
    }

    /** The drifts the pipeline JVMs' continuous verification reported ({@code DRIFT} lines), in order. */
    List<String> driftsReported() throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("DRIFT "))
                .toList();
    }

    String tail() throws IOException {
        String all = Files.readString(log, StandardCharsets.UTF_8);
        return all.substring(Math.max(0, all.length() - 6000));
    }

    /** The position the target holds for the pipeline (0 before its first commit). */
    long position() throws SQLException {
        try (Connection c = redshift.connect();
                PreparedStatement ps =
                        c.prepareStatement("SELECT lsn FROM zeroetl.zeroetl_state WHERE pipeline_id = ?")) {
            ps.setString(1, settings.getOrDefault("pipeline", "reliability"));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Runs {@code then} once, as the emulator receives the first statement {@code when} accepts. */
    void onStatement(Predicate<String> when, Runnable then) {
        action = then;
        actWhen = when;
    }

    private void beforeStatement(String sql) {
        Predicate<String> act = actWhen;
        if (act != null && act.test(sql)) {
            actWhen = null;
            action.run();
        }
        Predicate<String> trigger = killWhen;
        if (trigger != null && trigger.test(sql)) {
            killWhen = null;
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        killWhen = null;
        try {
            Files.createDirectories(Results.FILE.getParent().resolve("reliability-logs"));
            Files.copy(
                    log,
                    Results.FILE.getParent().resolve("reliability-logs").resolve(dir.getFileName() + ".log"),
                    StandardCopyOption.REPLACE_EXISTING);
            try (var replicaLogs = Files.newDirectoryStream(dir, "replica-*.log")) {
                for (Path replicaLog : replicaLogs) {
                    Files.copy(
                            replicaLog,
                            Results.FILE
                                    .getParent()
                                    .resolve("reliability-logs")
                                    .resolve(dir.getFileName() + "-" + replicaLog.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            // the log is only kept for reading after a failure
        }
        for (Process p : children) {
            p.destroyForcibly();
        }
        sourceProxy.close();
        targetProxy.close();
        proxies.forEach(FaultProxy::close);
        s3Proxy.close();
        redshift.close();
        s3.close();
        targetServer.close();
        source.close();
    }
}

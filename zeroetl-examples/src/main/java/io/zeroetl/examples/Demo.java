package io.zeroetl.examples;

import io.zeroetl.Pipeline;
import io.zeroetl.PipelineStatus;
import io.zeroetl.TableId;
import io.zeroetl.TableValidation;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import io.zeroetl.redshift.S3Staging;
import io.zeroetl.testing.EmbeddedPostgres;
import io.zeroetl.testing.RedshiftEmulator;
import io.zeroetl.testing.S3Server;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The seed scenario end to end: an {@code orders} table in PostgreSQL replicated into Redshift (the
 * emulator) within seconds, following {@code ALTER TABLE orders ADD COLUMN quantity INT}, the analytical
 * {@code fact_orders} (order_date as DATE) built by a second pipeline through the transform API, then a
 * stream of orders with a live status line, and finally source and both targets compared side by side
 * through the Validation API. Fails (non-zero exit) when they differ.
 *
 * <p>Run it with {@code mvn -q -Pdemo -DskipTests package}; {@code -Ddemo.seconds=N} sets the streaming
 * time (default 20). With {@code ZEROETL_SOURCE_URL}/{@code _USER}/{@code _PASSWORD} and
 * {@code ZEROETL_TARGET_URL}/{@code _USER}/{@code _PASSWORD} set it uses those servers instead, with a
 * table {@code zeroetl_demo.orders}.
 */
public final class Demo {
    /** Rows of a table in one batch from which the demo stages through S3 (the default is 10,000). */
    private static final int STAGING_THRESHOLD = 50;
    /** Whether standard output is an interactive terminal (then the live status updates one line). */
    private static final boolean TERMINAL = System.console() != null;

    private Demo() {}

    /** Runs the demo; throws when the target does not match the source. */
    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("demo.seconds", 20);
        String sourceUrl = System.getenv("ZEROETL_SOURCE_URL");
        String targetUrl = System.getenv("ZEROETL_TARGET_URL");
        if (sourceUrl != null && targetUrl != null) {
            say(
                    "Using the source and target from ZEROETL_SOURCE_URL and ZEROETL_TARGET_URL (table zeroetl_demo.orders).");
            Endpoint source = new Endpoint(sourceUrl, env("ZEROETL_SOURCE_USER"), env("ZEROETL_SOURCE_PASSWORD"));
            Endpoint target = new Endpoint(targetUrl, env("ZEROETL_TARGET_USER"), env("ZEROETL_TARGET_PASSWORD"));
            try (Connection s = DriverManager.getConnection(source.url(), source.user(), source.password());
                    Connection t = DriverManager.getConnection(target.url(), target.user(), target.password())) {
                run(s, "CREATE SCHEMA IF NOT EXISTS zeroetl_demo");
                run(s, "DROP TABLE IF EXISTS zeroetl_demo.orders");
                scenario(source, target, s, t, "zeroetl_demo", seconds, false, s3FromEnvironment());
            }
            return;
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.start();
        String db = postgres.createDatabase();
        try (S3Server s3 = S3Server.start();
                RedshiftEmulator redshift =
                        RedshiftEmulator.builder().postgres(postgres).s3(s3).start();
                Connection source = postgres.connect(db);
                Connection target = redshift.connect()) {
            s3.createBucket("demo-staging");
            say("PostgreSQL " + postgres.majorVersion() + " (source), an S3 server and the Redshift emulator (target)"
                    + " are up; batches stage through S3 + COPY from " + STAGING_THRESHOLD + " rows a table, by"
                    + " INSERTs below.");
            S3Staging staging = S3Staging.builder()
                    .bucket("demo-staging")
                    .endpoint(s3.endpoint())
                    .credentials(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                    .iamRole("arn:aws:iam::123456789012:role/zeroetl-demo")
                    .threshold(STAGING_THRESHOLD)
                    .build();
            scenario(
                    new Endpoint(postgres.jdbcUrl(db), postgres.user(), postgres.password()),
                    new Endpoint(redshift.jdbcUrl(), redshift.user(), redshift.password()),
                    source,
                    target,
                    "public",
                    seconds,
                    true,
                    staging);
        } finally {
            postgres.close();
        }
    }

    /** Where to connect. */
    private record Endpoint(String url, String user, String password) {}

    /** S3 staging for a real cluster: ZEROETL_S3_BUCKET and ZEROETL_S3_ROLE (an IAM role the cluster may assume). */
    private static S3Staging s3FromEnvironment() {
        String bucket = System.getenv("ZEROETL_S3_BUCKET");
        if (bucket == null) {
            say("No ZEROETL_S3_BUCKET: staging by INSERTs.");
            return null;
        }
        return S3Staging.builder()
                .bucket(bucket)
                .iamRole(env("ZEROETL_S3_ROLE"))
                .build();
    }

    private static void scenario(
            Endpoint src,
            Endpoint dst,
            Connection source,
            Connection target,
            String schema,
            int seconds,
            boolean emulator,
            S3Staging staging)
            throws Exception {
        String orders = schema + ".orders";
        run(
                source,
                "CREATE TABLE " + orders + " (order_id SERIAL PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                        + " order_date TIMESTAMP DEFAULT now(), total_amount DECIMAL(10,2))");
        run(source, "INSERT INTO " + orders + " (customer_name, total_amount) VALUES ('Alice', 99.90), ('Bob', 15.00)");
        say("Created " + orders + " with two rows; starting the pipeline.");
        PostgresSource pg = PostgresSource.builder()
                .jdbcUrl(src.url())
                .user(src.user())
                .password(src.password())
                .build();
        RedshiftTarget.Builder rsBuilder =
                RedshiftTarget.builder().jdbcUrl(dst.url()).user(dst.user()).password(dst.password());
        if (emulator) {
            rsBuilder.ssl(false);
        }
        if (staging != null) {
            rsBuilder.s3Staging(staging);
        }
        try (Pipeline pipeline = ZeroEtl.from(pg)
                .to(rsBuilder.build())
                .tables(orders)
                .pipelineId("demo")
                .flushInterval(Duration.ofMillis(250))
                .start()) {
            caughtUp(pipeline);
            pipeline.status()
                    .table(TableId.parse(orders))
                    .ifPresent(t -> say(String.format(
                            "Initial copy: %d of about %d rows at %.0f rows/s (while it runs, status() shows this"
                                    + " with an ETA; it commits in parts, and a crash resumes it after the last one).",
                            t.copiedRows(), t.estimatedRows(), t.copyRowsPerSecond())));
            show("Redshift after the initial copy:", target, "SELECT * FROM " + orders + " ORDER BY order_id");

            run(source, "ALTER TABLE " + orders + " ADD COLUMN quantity INT");
            run(
                    source,
                    "INSERT INTO " + orders + " (customer_name, total_amount, quantity) VALUES ('Carol', 42.00, 3)");
            caughtUp(pipeline);
            show(
                    "After ALTER TABLE orders ADD COLUMN quantity INT and one more order:",
                    target,
                    "SELECT * FROM " + orders + " ORDER BY order_id");

            // the analytical table: a second pipeline shapes orders into fact_orders with order_date as DATE
            try (Pipeline facts = ZeroEtl.from(pg)
                    .to(rsBuilder.build())
                    .pipelineId("demo_facts")
                    .table(orders, t -> t.targetName("fact_orders").toDate("order_date"))
                    .flushInterval(Duration.ofMillis(250))
                    .start()) {
                caughtUp(facts);
                show(
                        "fact_orders, shaped by .table(\"" + orders + "\", t -> t.targetName(\"fact_orders\")"
                                + ".toDate(\"order_date\")):",
                        target,
                        "SELECT * FROM " + schema + ".fact_orders ORDER BY order_id");
                stream(source, pipeline, orders, seconds);
                caughtUp(pipeline);
                caughtUp(facts);
                System.out.println();
                compare("orders", pipeline, orders);
                compare("fact_orders", facts, orders);
            } finally {
                pg.retire("demo_facts");
            }
        } finally {
            pg.retire("demo");
            pg.close();
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException("Set " + name + " too (the demo uses real endpoints when"
                    + " ZEROETL_SOURCE_URL and ZEROETL_TARGET_URL are set)");
        }
        return value;
    }

    private static void stream(Connection source, Pipeline pipeline, String orders, int seconds) throws SQLException {
        say("Streaming orders for " + seconds + " s (inserts, updates, deletes):");
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long lastPrint = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (PreparedStatement insert = source.prepareStatement(
                        "INSERT INTO " + orders + " (customer_name," + " total_amount, quantity) VALUES (?, ?, ?)");
                Statement s = source.createStatement()) {
            while (System.nanoTime() < end) {
                for (int i = 0; i < 20; i++) {
                    insert.setString(1, "customer-" + random.nextInt(1000));
                    insert.setBigDecimal(2, BigDecimal.valueOf(random.nextInt(1, 100_000), 2));
                    insert.setInt(3, random.nextInt(1, 10));
                    insert.executeUpdate();
                }
                s.executeUpdate("UPDATE " + orders + " SET quantity = quantity + 1 WHERE order_id = "
                        + random.nextInt(1, 1000));
                s.executeUpdate("DELETE FROM " + orders + " WHERE order_id = " + random.nextInt(1, 1000));
                if (System.nanoTime() - lastPrint > 500_000_000L) {
                    lastPrint = System.nanoTime();
                    PipelineStatus st = pipeline.status();
                    String line = String.format(
                            "  %-9s %8.0f rows/s  lag %5d ms  %s",
                            st.state(),
                            st.rowsPerSecond(),
                            st.lagMillis(),
                            st.tables().values().iterator().next().toString());
                    if (TERMINAL) {
                        // one line updated in place on a terminal
                        System.out.print("\r" + line + "          ");
                    } else {
                        // whole lines in a log file or a pipe
                        System.out.println(line);
                    }
                    System.out.flush();
                }
            }
        }
    }

    /** Source and target side by side through the Validation API: counts and checksums computed on each side. */
    private static void compare(String what, Pipeline pipeline, String orders) {
        TableValidation result = pipeline.validate().table(orders);
        say("Validation of " + what
                + (result.uncomparedColumns().isEmpty() ? "" : " (not compared: " + result.uncomparedColumns() + ")")
                + ":");
        say(String.format(
                "  %-8s rows %d, checksum %s%n  %-8s rows %d, checksum %s",
                "source",
                result.sourceRows(),
                result.sourceChecksum(),
                "target",
                result.targetRows(),
                result.targetChecksum()));
        if (result.outcome() != TableValidation.Outcome.CLEAN) {
            throw new IllegalStateException("The target differs from the source: " + result);
        }
        say("Source and target match (row count and content checksum, validated in "
                + result.elapsed().toMillis() + " ms).");
    }

    private static void caughtUp(Pipeline pipeline) {
        if (!pipeline.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("The pipeline did not catch up within 60 s: " + pipeline.status());
        }
    }

    private static void show(String title, Connection c, String sql) throws SQLException {
        say(title);
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                header.add(rs.getMetaData().getColumnName(i));
            }
            System.out.println("  " + String.join(" | ", header));
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(String.valueOf(rs.getString(i)));
                }
                System.out.println("  " + String.join(" | ", row));
            }
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void say(String line) {
        System.out.println(line);
    }
}

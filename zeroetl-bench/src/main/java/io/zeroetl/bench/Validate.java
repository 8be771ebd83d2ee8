package io.zeroetl.bench;

import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import org.postgresql.PGConnection;

/**
 * Time to validate a large table: the same rows in the source and (loaded directly into the emulator's
 * backing database, which is not what is measured) in the target; the target's position is set past
 * the source's so the validation does not wait.
 */
final class Validate {
    record Result(long rows, double seconds, boolean clean) {}

    private Validate() {}

    static Result run(Env env, long rows) throws Exception {
        String db = env.newDatabase();
        String ddl = "CREATE TABLE vt (id BIGINT PRIMARY KEY, customer_name VARCHAR(100), amount DECIMAL(10,2),"
                + " created TIMESTAMP, note TEXT)";
        try {
            env.sql(
                    db,
                    ddl,
                    "INSERT INTO vt SELECT g, 'customer-' || (g % 100000), round((random() * 1000)::numeric, 2),"
                            + " timestamp '2024-01-01' + g * interval '1 second', md5(g::text) FROM generate_series(1, "
                            + rows + ") g");
            try (Connection t = env.redshift.connectPostgres();
                    Statement s = t.createStatement()) {
                s.execute(ddl);
                s.execute("CREATE SCHEMA IF NOT EXISTS zeroetl");
                s.execute(
                        "CREATE TABLE IF NOT EXISTS zeroetl.zeroetl_state (pipeline_id VARCHAR(64) NOT NULL, lsn BIGINT"
                                + " NOT NULL, source_commit_time TIMESTAMP, applied_at TIMESTAMP, PRIMARY KEY (pipeline_id))");
                s.execute("INSERT INTO zeroetl.zeroetl_state VALUES ('validate', " + Long.MAX_VALUE + ", NULL, NULL)");
            }
            copyToBacking(env, db);
            Bench.log("validation: " + rows + " rows on both sides");
            PostgresSource source = env.source(db);
            long t0 = System.nanoTime();
            ValidationReport report = ZeroEtl.validate(source, env.target())
                    .tables("public.vt")
                    .pipelineId("validate")
                    .run();
            double seconds = ReadDecode.seconds(t0);
            source.close();
            Bench.log("validation: " + seconds + " s, " + (report.clean() ? "clean" : report));
            try (Connection t = env.redshift.connectPostgres();
                    Statement s = t.createStatement()) {
                s.execute("DROP TABLE vt");
            }
            return new Result(rows, seconds, report.clean());
        } finally {
            env.pg.dropDatabase(db);
        }
    }

    /**
     * The same for a table of documents and arrays ({@code text[]}, {@code jsonb}: SUPER in the target),
     * whose canonical forms are built per value on each side.
     */
    static Result runDocuments(Env env, long rows) throws Exception {
        String db = env.newDatabase();
        try {
            env.sql(
                    db,
                    "CREATE TABLE vd (id BIGINT PRIMARY KEY, tags TEXT[], doc JSONB)",
                    "INSERT INTO vd SELECT g, ARRAY['tag-' || (g % 100), 'x, y: ' || g, NULL],"
                            + " jsonb_build_object('n', g, 'name', 'customer ' || (g % 1000), 'items',"
                            + " jsonb_build_array(g % 7, 'a \"quoted\" b', jsonb_build_object('k', g % 3 = 0)))"
                            + " FROM generate_series(1, " + rows + ") g");
            try (Connection t = env.redshift.connectPostgres();
                    Statement s = t.createStatement()) {
                // SUPER is jsonb in the emulator's backing database; an array lands as a JSON array
                s.execute("CREATE TABLE vd (id BIGINT PRIMARY KEY, tags JSONB, doc JSONB)");
                s.execute("CREATE SCHEMA IF NOT EXISTS zeroetl");
                s.execute(
                        "CREATE TABLE IF NOT EXISTS zeroetl.zeroetl_state (pipeline_id VARCHAR(64) NOT NULL, lsn BIGINT"
                                + " NOT NULL, source_commit_time TIMESTAMP, applied_at TIMESTAMP, PRIMARY KEY (pipeline_id))");
                s.execute("DELETE FROM zeroetl.zeroetl_state WHERE pipeline_id = 'validate_docs'");
                s.execute("INSERT INTO zeroetl.zeroetl_state VALUES ('validate_docs', " + Long.MAX_VALUE
                        + ", NULL, NULL)");
            }
            copyToBacking(env, db, "COPY (SELECT id, to_jsonb(tags), doc FROM vd) TO STDOUT", "COPY vd FROM STDIN");
            Bench.log("validation of documents: " + rows + " rows on both sides");
            PostgresSource source = env.source(db);
            long t0 = System.nanoTime();
            ValidationReport report = ZeroEtl.validate(source, env.target())
                    .tables("public.vd")
                    .pipelineId("validate_docs")
                    .run();
            double seconds = ReadDecode.seconds(t0);
            source.close();
            Bench.log("validation of documents: " + seconds + " s, " + (report.clean() ? "clean" : report));
            try (Connection t = env.redshift.connectPostgres();
                    Statement s = t.createStatement()) {
                s.execute("DROP TABLE vd");
            }
            return new Result(rows, seconds, report.clean());
        } finally {
            env.pg.dropDatabase(db);
        }
    }

    private static void copyToBacking(Env env, String db) throws Exception {
        copyToBacking(env, db, "COPY vt TO STDOUT (FORMAT binary)", "COPY vt FROM STDIN (FORMAT binary)");
    }

    private static void copyToBacking(Env env, String db, String copyOut, String copyIn) throws Exception {
        try (Connection from = env.connect(db);
                Connection to = env.redshift.connectPostgres()) {
            PipedOutputStream out = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(out, 1 << 20);
            var writer = CompletableFuture.runAsync(() -> {
                try (out) {
                    from.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOut, out);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            to.unwrap(PGConnection.class).getCopyAPI().copyIn(copyIn, in);
            writer.join();
        }
    }
}

package io.zeroetl.bench;

import io.zeroetl.Pipeline;
import io.zeroetl.Verification;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.testing.RecordedStatement;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a batch costs when changes spread over many tables, the common shape of an application database: single-row
 * updates, each its own transaction, round-robin over {@code n} tables, replicated with the default batch settings.
 * Counted from the statements the emulator received while the pipeline applied them, after a first batch that
 * touched every table (what a session does once, such as creating its staging table, is not a batch's cost):
 * batches (each takes the shared lock once), statements per batch, tables touched per batch, statements per
 * touched table (a batch's statements but its fixed ones — lock, position, fencing, state — and the loads of
 * the staging table all tables share, which follow rows; over the tables it touched), DDL statements per batch,
 * and changes applied per second.
 */
final class Spread {
    record Result(
            int tables,
            Env.Loader loader,
            int changes,
            int batches,
            double statementsPerBatch,
            double touchedPerBatch,
            double statementsPerTouchedTable,
            double ddlPerBatch,
            double changesPerSecond) {}

    private static final Pattern TARGET_TABLE = Pattern.compile("\"spread_[a-z0-9_]+\"\\.\"(t\\d+)\"");
    private static final Pattern DDL = Pattern.compile("^(?:CREATE|ALTER|DROP) ");
    /** A batch's fixed statements, and the loads and emptying of the shared staging table. */
    private static final Pattern PER_BATCH =
            Pattern.compile("^LOCK |\"zeroetl_(?:state|table_state|errors|claims|layouts)\""
                    + "|^(?:INSERT INTO|COPY|DELETE FROM) \"zeroetl_stage_0\"");

    private Spread() {}

    static List<Result> run(Env env, int changes, int... tableCounts) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int n : tableCounts) {
            for (Env.Loader loader : List.of(Env.Loader.INSERT, Env.Loader.S3)) {
                results.add(side(env, n, loader, changes));
            }
        }
        return results;
    }

    private static Result side(Env env, int n, Env.Loader loader, int changes) throws Exception {
        String db = env.newDatabase();
        String id = "spread_" + n + "_" + loader.name().toLowerCase();
        PostgresSource source = env.source(db);
        try {
            String[] create = new String[n * 2];
            List<String> names = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                create[2 * t] = "CREATE TABLE t" + t + " (id INT PRIMARY KEY, n INT, note TEXT)";
                create[2 * t + 1] = "INSERT INTO t" + t + " SELECT g, 0, md5(g::text) FROM generate_series(1, 100) g";
                names.add("public.t" + t);
            }
            env.sql(db, create);
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(env.target(loader, id))
                    .tables(names.toArray(String[]::new))
                    .pipelineId(id)
                    // the batches' statements alone: no verification's reads among them
                    .verification(Verification.off())
                    .start()) {
                if (!pipeline.awaitCaughtUp(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("spread (" + id + "): the copy did not finish");
                }
                try (Connection c = env.connect(db);
                        Statement s = c.createStatement()) {
                    StringBuilder all = new StringBuilder("BEGIN;");
                    for (int t = 0; t < n; t++) {
                        all.append(" UPDATE t").append(t).append(" SET n = n + 1 WHERE id = 100;");
                    }
                    s.execute(all.append(" COMMIT").toString());
                }
                if (!pipeline.awaitCaughtUp(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("spread (" + id + "): the first batch did not apply");
                }
                env.redshift.clearStatements();
                long t0 = System.nanoTime();
                try (Connection c = env.connect(db);
                        Statement s = c.createStatement()) {
                    for (int i = 0; i < changes; i++) {
                        s.execute("UPDATE t" + (i % n) + " SET n = n + 1 WHERE id = " + (1 + (i / n) % 100));
                    }
                }
                if (!pipeline.awaitCaughtUp(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("spread (" + id + "): did not catch up");
                }
                double seconds = ReadDecode.seconds(t0);
                Result result = count(n, loader, changes, env.redshift.statements(), seconds);
                Bench.log(String.format(
                        "spread over %d tables (%s): %d batches, %.1f statements and %.1f tables touched a batch, %.2f"
                                + " statements a touched table, %.2f DDL a batch, %.0f changes/s",
                        n,
                        loader,
                        result.batches(),
                        result.statementsPerBatch(),
                        result.touchedPerBatch(),
                        result.statementsPerTouchedTable(),
                        result.ddlPerBatch(),
                        result.changesPerSecond()));
                return result;
            }
        } finally {
            source.retire(id);
            source.close();
            env.pg.dropDatabase(db);
        }
    }

    /**
     * Splits the statements into batches at each {@code LOCK} of the shared turns table (what every batch takes
     * once) and counts them; statements before a batch's LOCK (its staging loads) count for that batch.
     */
    static Result count(int n, Env.Loader loader, int changes, List<RecordedStatement> statements, double seconds) {
        int batches = 0;
        long all = 0;
        long ddl = 0;
        long touched = 0;
        long perTable = 0;
        Set<String> tables = new HashSet<>();
        for (RecordedStatement recorded : statements) {
            String sql = recorded.sql().strip();
            if (sql.isEmpty() || sql.equals("BEGIN") || sql.equals("COMMIT")) {
                continue;
            }
            all++;
            if (sql.startsWith("LOCK ") && sql.contains("zeroetl_turns")) {
                batches++;
            }
            if (DDL.matcher(sql).find()) {
                ddl++;
            }
            if (!PER_BATCH.matcher(sql).find()) {
                perTable++;
            }
            Matcher m = TARGET_TABLE.matcher(sql);
            if (m.find()) {
                tables.add(m.group(1));
            }
            if (sql.startsWith("UPDATE ") && sql.contains("zeroetl_claims")) {
                // the fencing check is the last statement of every batch's transaction
                touched += tables.size();
                tables.clear();
            }
        }
        int b = Math.max(1, batches);
        return new Result(
                n,
                loader,
                changes,
                batches,
                (double) all / b,
                (double) touched / b,
                touched == 0 ? 0 : (double) perTable / touched,
                (double) ddl / b,
                changes / seconds);
    }
}

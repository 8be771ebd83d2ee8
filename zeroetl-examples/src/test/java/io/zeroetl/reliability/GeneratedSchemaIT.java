package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.TableValidation;
import io.zeroetl.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, reproducible generative testing: random schemas ({@link GenTable}: hostile names, every generated
 * type, every kind of replica identity, partitioned tables) under random workloads (key moves, unchanged TOAST,
 * duplicates, NULLs, column DDL, table renames, partitions truncated, detached and attached, TRUNCATE, savepoints),
 * with the pipeline JVM killed at a random moment in each round.
 * The oracle: every table equals its source (validated row by row), or — only where its shape says so
 * (a DEFERRABLE key, no replica identity) — it is FAILED with that reason while the others are equal; and the
 * application's own writes never fail because of zeroetl. A failure prints the seed; rerun it with
 * {@code -Dzeroetl.seed=<seed>} (and {@code -Dzeroetl.round=<round>} for one round).
 */
class GeneratedSchemaIT {
    private static final int ROUNDS = Scale.of(1, 100);
    private static final int TABLES = Scale.of(12, 20);
    private static final int TRANSACTIONS = Scale.of(6, 12);

    @Test
    void randomSchemasAndWorkloadsReplicateExactlyOrFailOneTableWithTheExpectedReason(@TempDir Path dir)
            throws Exception {
        long seed = Long.getLong("zeroetl.seed", new SecureRandom().nextLong());
        int only = Integer.getInteger("zeroetl.round", -1);
        int cases = 0;
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            if (only >= 0 && round != only) {
                continue;
            }
            String where = "seed " + seed + ", round " + round + " (rerun: -Dzeroetl.seed=" + seed + " -Dzeroetl.round="
                    + round + ")";
            try {
                // one round in four on a LATIN1 database: zeroetl's messages and validation must not assume UTF-8
                // (drawn from a mixed seed: java.util.Random's first draw for seeds one apart hardly varies, and
                // drawn from it no round of four seeds' 100 was LATIN1)
                boolean latin1 = new SplittableRandom(seed * 31 + round).nextInt(4) == 0;
                cases += round(new Random(seed * 31 + round), latin1, dir.resolve("round-" + round), outcomes);
            } catch (AssertionError | Exception e) {
                Path kept = keepLogs(dir.resolve("round-" + round), seed, round);
                throw new AssertionError(
                        "generated case failed at " + where + " (the pipeline JVMs' output: " + kept + "): "
                                + e.getMessage(),
                        e);
            }
        }
        Results.record("generated schemas", cases + " random tables (seed " + seed + "), outcomes " + outcomes);
    }

    private static int round(Random r, boolean latin1, Path dir, Map<String, Integer> outcomes) throws Exception {
        Files.createDirectories(dir);
        // the draw that used to choose the encoding, kept so that a round's tables are those its seed always gave
        r.nextInt(4);
        outcomes.merge(latin1 ? "rounds on LATIN1" : "rounds on UTF8", 1, Integer::sum);
        try (Rig rig =
                new Rig(dir, latin1 ? "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" : null)) {
            Latin1Mode mode = new Latin1Mode(latin1);
            rig.set("include", "gen.*").set("exclude", "").set("pipeline", "generated");
            rig.sql("CREATE SCHEMA gen");
            for (String setup : GenType.SETUP) {
                rig.sql(setup);
            }
            List<GenTable> tables = new ArrayList<>();
            for (int i = 0; i < TABLES; i++) {
                GenTable t = new GenTable(r, "gen", i, latin1);
                tables.add(t);
                for (String sql : t.create()) {
                    exec(rig, mode.sql(sql));
                }
                for (int row = 0; row < 3; row++) {
                    exec(rig, mode.sql(t.insertRow(r, true)));
                }
            }
            rig.startChild();
            rig.awaitChildPrinted("STATE SNAPSHOTTING -> STREAMING", Duration.ofMinutes(5));
            int killAt = r.nextInt(TRANSACTIONS);
            for (int step = 0; step < TRANSACTIONS; step++) {
                if (step == killAt) {
                    rig.killNow("random");
                    rig.startChild();
                }
                for (GenTable t : tables) {
                    // the application's own writes: any failure is zeroetl's doing (the SQL is valid)
                    try {
                        exec(rig, mode.sql(t.transaction(r)));
                    } catch (AssertionError e) {
                        throw new AssertionError(
                                e.getMessage() + "\nafter: " + t.create() + "\n" + String.join("\n", t.history()), e);
                    }
                }
            }
            ValidationReport report =
                    rig.converge(tables.stream().map(GenTable::pattern).toList());
            List<String> wrong = new ArrayList<>();
            for (GenTable t : tables) {
                String failure = failure(rig, t);
                String expected = t.identity.failure;
                if (expected != null) {
                    if (failure == null || !failure.contains(expected)) {
                        wrong.add(t.quoted() + " (" + t.identity + ") should be FAILED naming '" + expected + "', is "
                                + (failure == null ? "not FAILED" : "FAILED: " + failure));
                    }
                    outcomes.merge("FAILED as expected", 1, Integer::sum);
                } else if (failure != null) {
                    wrong.add(t.quoted() + " (" + t.identity + (t.partitioned ? ", partitioned" : "") + ", " + t.columns
                            + ") FAILED: " + failure);
                } else {
                    TableValidation v = report.table(t.pattern());
                    if (v.outcome() != TableValidation.Outcome.CLEAN) {
                        wrong.add(t.quoted() + " (" + t.identity + (t.partitioned ? ", partitioned" : "") + ", "
                                + t.columns + "): " + v + sides(rig, t, v) + "\n   its transactions:\n"
                                + String.join("\n", t.history()));
                    }
                    outcomes.merge(
                            (t.partitioned ? "partitioned, " : "") + (t.renamed() ? "renamed, " : "")
                                    + "replicated exactly",
                            1,
                            Integer::sum);
                }
            }
            assertThat(wrong).as("tables that did not end as the oracle says").isEmpty();
            List<String> drifts = rig.driftsReported();
            assertThat(drifts)
                    .as("drift reported by continuous verification while the final validation found every table right:"
                            + " a false alarm, or a divergence a later copy or change covered up; either wants a look."
                            + " What the pipeline JVMs said of the tables:\n" + linesAbout(rig, drifts, tables))
                    .isEmpty();
            return tables.size();
        }
    }

    /**
     * The pipeline JVMs' lines (at most 60) naming a table of {@code tables} that a line of {@code about} names,
     * with the children's starts: what led to a drift.
     */
    private static String linesAbout(Rig rig, List<String> about, List<GenTable> tables) throws IOException {
        List<String> names = tables.stream()
                .map(t -> TableId.of(t.schema, t.name).toString())
                .filter(q -> about.stream().anyMatch(a -> a.contains(q)))
                .toList();
        List<String> lines = Files.readAllLines(rig.log, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("=== child") || names.stream().anyMatch(line::contains))
                .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /**
     * Keeps a failed round's logs (the pipeline JVMs' output, which a kill and a timing make hard to get again)
     * where the build leaves its reports; {@return where}
     */
    private static Path keepLogs(Path roundDir, long seed, int round) {
        Path kept = Path.of("target", "generated-failures", seed + "-" + round).toAbsolutePath();
        try (var files = Files.list(roundDir)) {
            Files.createDirectories(kept);
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.copy(f, kept.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            return Path.of("(not kept: " + e.getMessage() + ")");
        }
        return kept;
    }

    /** The differing columns of the first differing row, as each side holds them. */
    private static String sides(Rig rig, GenTable t, TableValidation v) {
        if (v.differences().isEmpty()) {
            return "";
        }
        io.zeroetl.RowDifference d = v.differences().get(0);
        StringBuilder sb = new StringBuilder("\n   first difference " + d.key() + ":");
        String id = d.key().get("id");
        for (String column : d.columns()) {
            sb.append(' ')
                    .append(column)
                    .append(": source ")
                    .append(value(rig, true, t, column, id))
                    .append(" / target ")
                    .append(value(rig, false, t, column, id));
        }
        return sb.toString();
    }

    private static String value(Rig rig, boolean source, GenTable t, String column, String id) {
        String sql =
                "SELECT " + Sql.id(column) + (source ? "::text" : "") + " FROM " + t.quoted() + " WHERE \"id\" = " + id;
        try (Connection c = source ? rig.connect() : rig.redshift.connect();
                Statement s = c.createStatement()) {
            if (!source) {
                s.execute("SET enable_case_sensitive_identifier TO true");
            }
            try (ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : "(no row)";
            }
        } catch (SQLException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /** Runs an application statement; its failure names the statement. */
    private static void exec(Rig rig, String sql) {
        try {
            rig.sql(sql);
        } catch (SQLException e) {
            throw new AssertionError("the application's statement failed (" + e.getMessage() + "): " + sql, e);
        }
    }

    /** The table's FAILED reason as the target recorded it, or null. */
    private static String failure(Rig rig, GenTable t) throws SQLException {
        try (Connection c = rig.redshift.connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT reason FROM zeroetl.zeroetl_table_state WHERE table_name = ? AND state = 'FAILED'")) {
            ps.setString(1, TableId.of(t.schema, t.name).quoted());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        try {
            return rig.printedFailures().get(TableId.of(t.schema, t.name).toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The generator's SQL as a LATIN1 database can take it (the same names every time), or as it is. */
    private record Latin1Mode(boolean on) {
        String sql(String sql) {
            return on ? Latin1.squeeze(sql) : sql;
        }
    }
}

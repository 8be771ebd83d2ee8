package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.TableId;
import io.zeroetl.TableValidation;
import io.zeroetl.ValidationReport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every case of the hostile input catalog ({@link HostileCatalog}, the README's table) in one pipeline JVM,
 * staged through INSERTs and again through S3 and COPY (threshold 0):
 * each ends as promised — replicated exactly, converted with a record in {@code zeroetl_errors}, or its
 * table FAILED with a reason while the others go on — and never in a crash loop, silent loss, or data in
 * the wrong table (every replicated table is validated row by row; identifiers and values that look like
 * SQL land as data).
 */
class HostileInputIT {
    @ParameterizedTest(name = "staged through {0}")
    @ValueSource(strings = {"INSERT", "S3"})
    void everyHostileCaseEndsAsTheReadmeSays(String staging, @TempDir Path dir) throws Exception {
        List<HostileCase> cases = HostileCatalog.cases();
        try (Rig rig = new Rig(dir)) {
            if (staging.equals("S3")) {
                // every value through a file and COPY, the copy's and the stream's
                rig.set("s3", "true").set("s3.threshold", "0");
            }
            rig.set("include", "public.*\u001e\"we ird \"\"schema\"\"\".*").set("exclude", "public.h_gone");
            for (HostileCase c : cases) {
                if (c.policy() != null) {
                    rig.set("policy." + c.quotedTable(), c.policy());
                }
                for (String sql : c.before()) {
                    rig.sql(sql);
                }
            }
            rig.startChild();
            rig.awaitChildPrinted("STATE SNAPSHOTTING -> STREAMING", Duration.ofMinutes(5));
            for (HostileCase c : cases) {
                for (String sql : c.during()) {
                    try {
                        rig.sql(sql);
                    } catch (SQLException e) {
                        if (!sql.contains("RAISE EXCEPTION")) {
                            throw e;
                        }
                    }
                }
            }
            List<String> replicated = cases.stream()
                    .filter(c -> c.outcome() == HostileCase.Outcome.REPLICATED)
                    .map(HostileCase::quotedTable)
                    .toList();
            ValidationReport report = rig.converge(replicated);

            List<String> wrong = new ArrayList<>();
            Map<HostileCase.Outcome, Integer> tally = new EnumMap<>(HostileCase.Outcome.class);
            Map<String, String> printed = rig.printedFailures();
            for (HostileCase c : cases) {
                String actual = outcome(
                        rig,
                        c,
                        report,
                        printed.get(TableId.parse(c.quotedTable()).toString()));
                if (actual != null) {
                    wrong.add("#" + c.number() + " " + c.description() + " (" + c.table() + "): expected " + c.outcome()
                            + (c.reason() == null ? "" : " with '" + c.reason() + "'") + ", got " + actual);
                }
                tally.merge(c.outcome(), 1, Integer::sum);
            }
            assertThat(wrong).as("cases that did not end as the README says").isEmpty();
            assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
            Results.record(
                    "hostile input",
                    cases.size() + " cases staged through " + staging + ", each as the README says " + tally
                            + "; no crash loop (one pipeline JVM), no rejected statement, no secret printed");
        }
    }

    /** Null when {@code c} ended as expected, else what happened instead. */
    private static String outcome(Rig rig, HostileCase c, ValidationReport report, String printedFailure)
            throws SQLException {
        String table = TableId.parse(c.quotedTable()).quoted();
        String[] state = state(rig, table);
        switch (c.outcome()) {
            case REPLICATED -> {
                TableValidation v = report.table(c.quotedTable());
                return v.outcome() == TableValidation.Outcome.CLEAN ? null : v.toString() + stateText(state);
            }
            case CONVERTED -> {
                long errors = rig.count("SELECT count(*) FROM zeroetl.zeroetl_errors WHERE table_name IN ('"
                        + table.replace("'", "''") + "', '"
                        + TableId.parse(c.quotedTable()).toString().replace("'", "''")
                        + "')");
                return errors > 0 && (state == null || !state[0].equals("FAILED"))
                        ? null
                        : errors + " records in zeroetl_errors" + stateText(state);
            }
            case FAILED -> {
                String reason = state != null && state[0].equals("FAILED") ? state[1] : printedFailure;
                return reason != null
                                && reason.toLowerCase().contains(c.reason().toLowerCase())
                        ? null
                        : stateText(state) + " printed: " + printedFailure;
            }
            default -> {
                return state != null && state[0].equals("DROPPED") ? null : stateText(state);
            }
        }
    }

    private static String stateText(String[] state) {
        return state == null ? " (no zeroetl_table_state record)" : " (" + state[0] + ": " + state[1] + ")";
    }

    private static String[] state(Rig rig, String table) throws SQLException {
        try (Connection c = rig.redshift.connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT state, reason FROM zeroetl.zeroetl_table_state WHERE table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        }
    }
}

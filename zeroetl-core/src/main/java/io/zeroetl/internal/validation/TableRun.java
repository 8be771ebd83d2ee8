package io.zeroetl.internal.validation;

import io.zeroetl.RowDifference;
import io.zeroetl.TableId;
import io.zeroetl.TableValidation;
import io.zeroetl.change.Column;
import io.zeroetl.change.TableSchema;
import io.zeroetl.spi.TargetDigests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One table's validation in progress. */
final class TableRun {
    final TableId table;
    final TableSchema compared;
    final TableSchema comparedTarget;
    final List<String> uncompared;
    final long started;
    TableValidation.Outcome outcome;
    String reason;
    long sourceRows;
    long targetRows;
    String sourceChecksum;
    String targetChecksum;
    boolean more;
    Map<String, Differences.Suspect> suspects = new LinkedHashMap<>();

    TableRun(TableId table, TableSchema compared, TableSchema comparedTarget, List<String> uncompared, long started) {
        this.table = table;
        this.compared = compared;
        this.comparedTarget = comparedTarget;
        this.uncompared = uncompared;
        this.started = started;
    }

    static TableRun notCompared(TableId table, String reason) {
        TableRun run = new TableRun(table, null, null, List.of(), System.nanoTime());
        run.outcome = TableValidation.Outcome.NOT_COMPARED;
        run.reason = reason;
        return run;
    }

    static TableRun failed(TableId table, String reason) {
        TableRun run = new TableRun(table, null, null, List.of(), System.nanoTime());
        run.outcome = TableValidation.Outcome.FAILED_TABLE;
        run.reason = reason;
        return run;
    }

    boolean hasSuspects() {
        return outcome == null && !suspects.isEmpty();
    }

    boolean hasUnstable() {
        return hasSuspects() && suspects.values().stream().anyMatch(s -> !s.stable());
    }

    /** Without rechecks, what the first round found is what is reported. */
    void trustFirstRound() {
        suspects.replaceAll((k, s) -> new Differences.Suspect(s.source(), s.target(), true));
    }

    TableValidation finish(TargetDigests tgt, int limit) {
        List<RowDifference> differences = new ArrayList<>();
        long converted = 0;
        long unconfirmed = 0;
        if (outcome == null) {
            Map<String, Set<String>> conversions = suspects.isEmpty() ? Map.of() : tgt.conversions(comparedTarget);
            for (Differences.Suspect s : suspects.values()) {
                if (!s.stable()) {
                    unconfirmed++;
                    continue;
                }
                RowDifference d = difference(s);
                Set<String> recorded = conversions.get(keyText(targetKey(d.key())));
                if (d.kind() == RowDifference.Kind.DIFFERENT
                        && recorded != null
                        && recorded.containsAll(
                                d.columns().stream().map(this::targetName).toList())) {
                    converted++;
                } else {
                    differences.add(d);
                }
            }
            outcome = differences.isEmpty() && !more ? TableValidation.Outcome.CLEAN : TableValidation.Outcome.MISMATCH;
            if (differences.isEmpty() && more) {
                reason = "more rows differed at first than the limit lets check; validate again";
            }
        }
        boolean listedAll = differences.size() <= limit;
        List<RowDifference> listed = listedAll ? differences : differences.subList(0, limit);
        return new TableValidation(
                table,
                outcome,
                reason,
                sourceRows,
                targetRows,
                sourceChecksum,
                targetChecksum,
                listed,
                !listedAll || more && !differences.isEmpty(),
                converted,
                unconfirmed,
                uncompared,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private String targetName(String sourceColumn) {
        int i = compared.position(sourceColumn).orElseThrow();
        return comparedTarget.columns().get(i).name();
    }

    private Map<String, String> targetKey(Map<String, String> key) {
        Map<String, String> out = new LinkedHashMap<>();
        key.forEach((k, v) -> out.put(targetName(k), v));
        return out;
    }

    private RowDifference difference(Differences.Suspect s) {
        List<Column> keys = compared.keyColumns();
        Map<String, String> key = new LinkedHashMap<>();
        List<String> values = s.any().key();
        for (int i = 0; i < keys.size(); i++) {
            key.put(keys.get(i).name(), values.get(i));
        }
        if (s.source() == null) {
            return new RowDifference(key, RowDifference.Kind.EXTRA_IN_TARGET, List.of());
        }
        if (s.target() == null) {
            return new RowDifference(key, RowDifference.Kind.MISSING_IN_TARGET, List.of());
        }
        List<String> a = hashes(s.source().rowText());
        List<String> b = hashes(s.target().rowText());
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < compared.columns().size(); i++) {
            if (i >= a.size() || i >= b.size() || !a.get(i).equals(b.get(i))) {
                columns.add(compared.columns().get(i).name());
            }
        }
        return new RowDifference(key, RowDifference.Kind.DIFFERENT, columns);
    }

    private static List<String> hashes(String rowText) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < rowText.length()) {
            if (rowText.charAt(i) == 'n') {
                out.add("n");
                i++;
            } else {
                out.add(rowText.substring(i, Math.min(rowText.length(), i + 32)));
                i += 32;
            }
        }
        return out;
    }

    private static String keyText(Map<String, String> key) {
        StringBuilder sb = new StringBuilder();
        key.forEach((k, v) ->
                sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return sb.toString();
    }
}

package io.zeroetl.internal.validation;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.TableValidation;
import io.zeroetl.Target;
import io.zeroetl.ValidationReport;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.Column;
import io.zeroetl.change.TableSchema;
import io.zeroetl.internal.transform.Transformer;
import io.zeroetl.spi.RowDigests;
import io.zeroetl.spi.SourceDigests;
import io.zeroetl.spi.TargetDigests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one validation: a source snapshot, the target once it has applied that snapshot's position,
 * bucket digests on both sides, the rows of differing buckets, and rechecks of differing rows on fresh
 * snapshots so that rows changed meanwhile are not reported.
 */
public final class Validator {

    private static final Logger LOG = LoggerFactory.getLogger(Validator.class);
    /** Buckets per table: a differing bucket holds about rows/1024 rows to compare one by one. */
    static final int BUCKETS = 1024;
    /** How long a validation waits for the target to reach the source's position, unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** How many differing rows a table's result lists, unless told otherwise. */
    public static final int DEFAULT_MAX_DIFFERENCES = 100;
    /** How often a differing row is compared again before it counts, unless told otherwise. */
    public static final int DEFAULT_RECHECKS = 3;

    private static final int BUCKETS_PER_FETCH = 16;
    /** How often a validation is run in all when it meets transient conflicts. */
    static final int ATTEMPTS = 4;

    private static final long BACKOFF_MILLIS = 200;

    private final Source source;
    private final Target target;
    private final String pipelineId;
    private final Duration timeout;
    private final int maxDifferences;
    private final int rechecks;
    private final Transformer shaping;
    private Runnable alive = () -> {};
    private Function<TableId, TableStatus> states = table -> null;

    /** A validator; see {@link io.zeroetl.ValidationBuilder} for the parameters; {@code shaping}: the pipeline's rules. */
    public Validator(
            Source source,
            Target target,
            String pipelineId,
            Duration timeout,
            int maxDifferences,
            int rechecks,
            Transformer shaping) {
        this.shaping = shaping;
        this.source = source;
        this.target = target;
        this.pipelineId = pipelineId;
        this.timeout = timeout;
        this.maxDifferences = maxDifferences;
        this.rechecks = rechecks;
    }

    /** Called while waiting for the target: throws when the pipeline that should get there has stopped. */
    public Validator whileAlive(Runnable check) {
        this.alive = check;
        return this;
    }

    /**
     * Gives what the running pipeline holds of each table ({@code states}: null for a table it does not know): a
     * table it holds FAILED is reported so with its reason, one DROPPED or still copying is not compared, and
     * neither is waited for.
     */
    public Validator withStates(Function<TableId, TableStatus> states) {
        this.states = states;
        return this;
    }

    /**
     * Validates {@code tables}. A validation that meets a transient conflict on either side (a deadlock or
     * serialization error against a pipeline's batch, a server out of connections, a dropped connection) is run
     * again from the start, a few times: its reads are only reads, and a real cluster reports such conflicts too.
     */
    public ValidationReport run(List<TableId> tables) {
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(tables);
            } catch (ZeroEtlException e) {
                if (!again(e) || attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.info(
                        "Validation met a transient {} ({}); validating again, attempt {} of {}",
                        e.code(),
                        e.getMessage(),
                        attempt + 1,
                        ATTEMPTS);
                try {
                    Thread.sleep(BACKOFF_MILLIS * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Whether a run that failed with {@code e} is worth running again (not so a timeout: it waited already). */
    private static boolean again(ZeroEtlException e) {
        return e.code() == ErrorCode.SERIALIZATION_CONFLICT
                || e.code() == ErrorCode.RESOURCE_BUSY
                || e.code() == ErrorCode.CONNECTION;
    }

    private ValidationReport runOnce(List<TableId> tables) {
        try (SourceDigests src = source.digests();
                TargetDigests tgt = target.digests(pipelineId)) {
            // the target names tables by their target ids; the report, the pipeline and the source by source ids
            Map<TableId, TableId> targets = new HashMap<>();
            for (TableId table : tables) {
                if (unsettled(table) == null) {
                    targets.put(shaping.targetOf(table), table);
                }
            }
            TargetWait.Settled settled = new TargetWait(pipelineId, timeout, alive).settle(src, tgt, targets.keySet());
            Lsn position = settled.position();
            Set<TableId> copying = new HashSet<>();
            settled.copying().forEach(t -> copying.add(targets.get(t)));
            Map<TableId, String> failed = tgt.failedTables();
            List<TableRun> runs = new ArrayList<>();
            for (TableId table : tables) {
                TableStatus status = unsettled(table);
                if (status != null) {
                    runs.add(
                            status.state() == TableState.FAILED
                                    ? TableRun.failed(table, status.reason())
                                    : TableRun.notCompared(
                                            table,
                                            status.state() == TableState.DROPPED
                                                    ? "it was dropped at the source"
                                                    : "its copy was in progress (" + status.state() + ")"));
                } else {
                    runs.add(
                            copying.contains(table)
                                    ? TableRun.notCompared(
                                            table,
                                            "its copy had not committed in the target within the validation's timeout")
                                    : first(src, tgt, table, failed.get(shaping.targetOf(table))));
                }
            }
            for (int round = 0; round < rechecks && runs.stream().anyMatch(TableRun::hasUnstable); round++) {
                Lsn next = src.refresh();
                new TargetWait(pipelineId, timeout, alive).await(src, tgt, next);
                for (TableRun run : runs) {
                    if (run.hasSuspects()) {
                        run.suspects = Differences.recheck(
                                run.suspects,
                                src.rowsWithKeys(run.compared, run.suspects.keySet()),
                                tgt.rowsWithKeys(run.comparedTarget, run.suspects.keySet()));
                    }
                }
            }
            if (rechecks == 0) {
                runs.forEach(TableRun::trustFirstRound);
            }
            List<TableValidation> results = new ArrayList<>();
            for (TableRun run : runs) {
                results.add(run.finish(tgt, maxDifferences));
            }
            return new ValidationReport(position, results);
        }
    }

    /** What the pipeline holds of {@code table} when that rules out comparing it (failed, dropped, copying), or null. */
    private TableStatus unsettled(TableId table) {
        TableStatus status = states.apply(table);
        if (status == null) {
            return null;
        }
        return switch (status.state()) {
            case FAILED, DROPPED, SNAPSHOTTING, RESYNC_REQUIRED, RESYNCING, PENDING -> status;
            default -> null;
        };
    }

    private TableRun first(SourceDigests src, TargetDigests tgt, TableId table, String failedReason) {
        long started = System.nanoTime();
        Optional<TableSchema> found = src.schema(table);
        if (found.isEmpty()) {
            return TableRun.notCompared(table, "not found in the source");
        }
        if (failedReason != null) {
            return TableRun.failed(table, failedReason);
        }
        TableSchema schema = Keyed.keyed(found.get());
        if (schema == null) {
            return TableRun.notCompared(table, "it has no primary key (and no REPLICA IDENTITY FULL) to match rows by");
        }
        if (shaping.hasHostTransforms()) {
            return TableRun.notCompared(table, "host transforms may change any value");
        }
        Map<String, String> names;
        try {
            names = shaping.comparableColumns(schema);
        } catch (IllegalArgumentException e) {
            return TableRun.notCompared(table, "its rules no longer fit the table: " + e.getMessage());
        }
        if (names == null) {
            return TableRun.notCompared(table, "its rows are reshaped on the way (row filter or soft/history deletes)");
        }
        TableId targetTable = shaping.targetOf(table);
        List<Column> mapped = schema.columns().stream()
                .filter(c -> names.containsKey(c.name()))
                .map(c -> new Column(names.get(c.name()), c.type(), c.key(), c.nullable()))
                .toList();
        Set<String> uncomparable =
                new HashSet<>(tgt.uncomparableColumns(new TableSchema(targetTable, mapped, schema.identity())));
        schema.columns().stream()
                .filter(c -> !names.containsKey(c.name()))
                .forEach(c -> uncomparable.add(names.getOrDefault(c.name(), c.name())));
        List<String> uncomparedSource = schema.columns().stream()
                .map(Column::name)
                .filter(n -> !names.containsKey(n) || uncomparable.contains(names.get(n)))
                .toList();
        if (schema.keyColumns().stream().anyMatch(c -> uncomparedSource.contains(c.name()))) {
            return TableRun.notCompared(
                    table, "key columns among " + uncomparedSource + " have no comparable target form");
        }
        List<Column> kept = schema.columns().stream()
                .filter(c -> !uncomparedSource.contains(c.name()))
                .toList();
        TableSchema compared = new TableSchema(table, kept, schema.identity());
        TableSchema comparedTarget = new TableSchema(
                targetTable,
                kept.stream()
                        .map(c -> new Column(names.get(c.name()), c.type(), c.key(), c.nullable()))
                        .toList(),
                schema.identity());
        Map<Integer, RowDigests.Digest> sourceBuckets = src.buckets(compared, BUCKETS);
        Map<Integer, RowDigests.Digest> targetBuckets = tgt.buckets(comparedTarget, BUCKETS);
        TableRun run =
                new TableRun(table, compared, comparedTarget, List.copyOf(new TreeSet<>(uncomparedSource)), started);
        run.sourceRows = Differences.rows(sourceBuckets);
        run.targetRows = Differences.rows(targetBuckets);
        run.sourceChecksum = Differences.checksum(sourceBuckets);
        run.targetChecksum = Differences.checksum(targetBuckets);
        Set<Integer> differing = new TreeSet<>();
        Set<Integer> all = new HashSet<>(sourceBuckets.keySet());
        all.addAll(targetBuckets.keySet());
        for (Integer bucket : all) {
            if (!Objects.equals(sourceBuckets.get(bucket), targetBuckets.get(bucket))) {
                differing.add(bucket);
            }
        }
        List<Integer> pending = new ArrayList<>(differing);
        // rows changed while the target catches up also differ at first: keep many more than will be
        // listed, for the rechecks to sort out
        int cap = Math.max(maxDifferences * 20, 5_000);
        for (int i = 0; i < pending.size() && run.suspects.size() <= cap; i += BUCKETS_PER_FETCH) {
            Set<Integer> slice = new HashSet<>(pending.subList(i, Math.min(pending.size(), i + BUCKETS_PER_FETCH)));
            run.suspects.putAll(Differences.compare(
                    src.rows(compared, BUCKETS, slice),
                    tgt.rows(comparedTarget, BUCKETS, slice),
                    cap + 1 - run.suspects.size()));
            run.more = i + BUCKETS_PER_FETCH < pending.size();
        }
        if (run.suspects.size() > cap) {
            run.more = true;
        }
        long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        LOG.info(
                "Validated {}: {} source rows, {} target rows, {} differing buckets, in {} ms ({} rows/s)",
                table,
                run.sourceRows,
                run.targetRows,
                differing.size(),
                millis,
                run.sourceRows * 1000 / millis);
        return run;
    }
}

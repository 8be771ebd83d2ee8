package io.zeroetl.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every benchmark side by side in one run and writes {@code REPORT.md} and the charts into
 * {@code bench.out} (default: the working directory). Sizes: {@code bench.changes} (2,000,000),
 * {@code bench.snapshotRows} (5,000,000), {@code bench.memoryRows} (5,000,000), {@code bench.validateRows}
 * (10,000,000), {@code bench.latencySeconds} (20).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        long changes = Long.getLong("bench.changes", 2_000_000);
        long snapshotRows = Long.getLong("bench.snapshotRows", 5_000_000);
        long memoryRows = Long.getLong("bench.memoryRows", 5_000_000);
        long validateRows = Long.getLong("bench.validateRows", 10_000_000);
        int latencySeconds = Integer.getInteger("bench.latencySeconds", 20);
        Path out = Path.of(System.getProperty("bench.out", "."));
        Files.createDirectories(out);
        long started = System.nanoTime();
        if ("verify".equals(System.getProperty("bench.only"))) {
            // continuous verification's cost alone (bench.only=verify): printed, no report written
            try (Env env = new Env()) {
                VerifyCost.run(
                        env,
                        Long.getLong("bench.verifyRows", 500_000),
                        Integer.getInteger("bench.verifySeconds", 60),
                        Integer.getInteger("bench.verifyRate", 10),
                        3_000);
            }
            System.exit(0);
        }
        if ("spread".equals(System.getProperty("bench.only"))) {
            // many tables per batch alone (bench.only=spread): printed, no report written
            try (Env env = new Env()) {
                Spread.run(env, Integer.getInteger("bench.spreadChanges", 4_000), 10, 100, 400);
            }
            System.exit(0);
        }
        if ("e2e".equals(System.getProperty("bench.only"))) {
            // zeroetl end to end alone, through S3 with each compression (bench.only=e2e): pipeline CPU per million
            // changes and where it goes, printed
            try (Env env = new Env()) {
                EndToEnd.zeroetlOnly(env, changes, Env.Loader.S3);
                EndToEnd.zeroetlOnly(env, changes, Env.Loader.S3_PLAIN);
                EndToEnd.zeroetlOnly(env, changes, Env.Loader.S3_ZSTD);
            }
            System.exit(0);
        }
        if ("compare".equals(System.getProperty("bench.only"))) {
            // zeroetl through S3 (gzip, Zstandard) against Debezium + JDBC sink on one workload (bench.only=compare)
            try (Env env = new Env()) {
                EndToEnd.Result e2e = EndToEnd.run(env, changes, List.of(Env.Loader.S3, Env.Loader.S3_ZSTD));
                for (EndToEnd.Run run : e2e.runs()) {
                    Bench.log(String.format(
                            "end to end (%s): %.1f s, %.1f pipeline CPU-s per million changes, %s Debezium + JDBC"
                                    + " sink (%s s)",
                            run.loader(),
                            run.seconds(),
                            run.pipelineCpuSeconds() * 1e6 / e2e.changes(),
                            e2e.debeziumSeconds() == null
                                    ? "no ratio: " + e2e.debeziumError() + ", against"
                                    : String.format("%.2fx", e2e.debeziumSeconds() / run.seconds()),
                            e2e.debeziumSeconds()));
                }
            }
            System.exit(0);
        }
        if ("copy".equals(System.getProperty("bench.only"))) {
            // the initial copy through S3 alone, each compression (bench.only=copy): printed, no report written
            try (Env env = new Env()) {
                Snapshot.Result copy = Snapshot.run(
                        env, snapshotRows, List.of(Env.Loader.S3, Env.Loader.S3_PLAIN, Env.Loader.S3_ZSTD));
                copy.zeroetlSeconds()
                        .forEach((loader, seconds) -> Bench.log(String.format(
                                "initial copy (%s): %.2f of COPY out + in (%.1f s against %.1f s)",
                                loader, copy.copySeconds() / seconds, seconds, copy.copySeconds())));
            }
            System.exit(0);
        }
        if ("resume".equals(System.getProperty("bench.only"))) {
            // an initial copy killed three times and resumed, against one uninterrupted (bench.only=resume)
            try (Env env = new Env()) {
                ResumedCopy.run(
                        env, Long.getLong("bench.resumeRows", 20_000_000L), Long.getLong("bench.chunkBlocks", 4_096L));
            }
            System.exit(0);
        }
        if ("pipelines".equals(System.getProperty("bench.only"))) {
            // pipelines sharing a target alone (bench.only=pipelines): printed, no report written
            try (Env env = new Env()) {
                Pipelines.run(env, Integer.getInteger("bench.pipelineChanges", 200_000), 1, 2, 4);
            }
            System.exit(0);
        }
        if ("validate".equals(System.getProperty("bench.only"))) {
            // the two validations alone, side by side (bench.only=validate): printed, no report written
            try (Env env = new Env()) {
                Validate.Result plain = Validate.run(env, validateRows);
                Validate.Result documents = Validate.runDocuments(env, Math.max(1_000, validateRows / 10));
                Bench.log(String.format(
                        "validation: plain %.0f rows/s, documents %.0f rows/s (%.2f of plain)",
                        plain.rows() / plain.seconds(),
                        documents.rows() / documents.seconds(),
                        documents.rows() / documents.seconds() / (plain.rows() / plain.seconds())));
            }
            System.exit(0);
        }
        List<Decode.Result> decode = Decode.run(false);
        try (Env env = new Env()) {
            ReadDecode.Result read = ReadDecode.run(env, changes);
            EndToEnd.Result e2e = EndToEnd.run(env, changes);
            List<Latency.Result> latency = new ArrayList<>();
            latency.add(Latency.run(env, Duration.ofMillis(250), latencySeconds));
            latency.add(Latency.run(env, Duration.ofSeconds(1), latencySeconds));
            Snapshot.Result snapshot = Snapshot.run(env, snapshotRows);
            Memory.Result memory = Memory.run(env, memoryRows);
            Validate.Result validation = Validate.run(env, validateRows);
            Validate.Result documents = Validate.runDocuments(env, Math.max(1_000, validateRows / 10));
            VerifyCost.Result verify = VerifyCost.run(env, 500_000, 60, 10, 3_000);
            List<Spread.Result> spread = Spread.run(env, 4_000, 10, 100, 400);
            List<Pipelines.Result> sharing = Pipelines.run(env, 200_000, 1, 2, 4);
            Charts.throughput(out.resolve("throughput.png").toFile(), e2e);
            Charts.latency(out.resolve("latency.png").toFile(), latency);
            String report = report(
                    decode,
                    read,
                    e2e,
                    latency,
                    snapshot,
                    memory,
                    validation,
                    documents,
                    verify,
                    spread,
                    sharing,
                    Math.round((System.nanoTime() - started) / 6e10));
            Files.writeString(out.resolve("REPORT.md"), report, StandardCharsets.UTF_8);
            Bench.log("wrote " + out.resolve("REPORT.md").toAbsolutePath());
        }
        System.exit(0);
    }

    static String report(
            List<Decode.Result> decode,
            ReadDecode.Result read,
            EndToEnd.Result e2e,
            List<Latency.Result> latency,
            Snapshot.Result snapshot,
            Memory.Result memory,
            Validate.Result validation,
            Validate.Result documents,
            VerifyCost.Result verify,
            List<Spread.Result> spread,
            List<Pipelines.Result> sharing,
            long minutes) {
        StringBuilder r = new StringBuilder();
        r.append("# zeroetl benchmark report\n\n");
        r.append("Run on ")
                .append(LocalDate.now())
                .append(" in ")
                .append(minutes)
                .append(" minutes with `")
                .append("mvn -B -Pbench -DskipTests package -pl zeroetl-bench -am` (sizes: ")
                .append(read.changes())
                .append(" changes, ")
                .append(snapshot.rows())
                .append("-row snapshot, ")
                .append(memory.rows())
                .append("-row transaction, ")
                .append(validation.rows())
                .append("-row validation).\n\n");
        r.append("Machine: ").append(Machine.describe()).append("\n\n");
        r.append("Everything runs on this one machine: PostgreSQL ")
                .append(Machine.postgres())
                .append(" (zeroetl's EmbeddedPostgres, fsync off), the Redshift emulator, the pipeline and the")
                .append(" comparison tools, so every number competes for the same cores; compare the ratios, which")
                .append(" come from one run, not the absolute times.\n\n");
        r.append("| # | measurement | result | ratio | goal |\n|---|---|---|---|---|\n");
        for (Decode.Result d : decode) {
            r.append(row(
                    "1",
                    "decode " + d.message() + " of `" + d.shape() + "` (JMH, one core)",
                    fmt("%.0f ± %.0f messages/s", d.perSecond(), Double.isNaN(d.error()) ? 0 : d.error()),
                    "",
                    ""));
        }
        double limitRate = read.changes() / read.limitSeconds();
        double zRate = read.changes() / read.zeroetlSeconds();
        r.append(row(
                "2a",
                "PostgreSQL's pgoutput emission (peek on a slot)",
                fmt("%.0f changes/s (%.2f s)", limitRate, read.limitSeconds()),
                "1.00",
                "the limit"));
        r.append(row(
                "2b",
                "zeroetl PostgresSource (reader + decoder)",
                fmt("%.0f changes/s (%.2f s)", zRate, read.zeroetlSeconds()),
                fmt("%.2f of the limit", zRate / limitRate),
                "≥ 0.90 of the limit"));
        double rawRate = read.changes() / read.rawSeconds();
        if (read.recvlogicalSeconds() != null) {
            double recvRate = read.changes() / read.recvlogicalSeconds();
            r.append(row(
                    "2d",
                    "PostgreSQL's pg_recvlogical streaming the slot to /dev/null",
                    fmt("%.0f changes/s (%.2f s)", recvRate, read.recvlogicalSeconds()),
                    fmt("zeroetl %.2f of it", zRate / recvRate),
                    "≥ 0.90"));
        } else {
            r.append(row("2d", "PostgreSQL's pg_recvlogical", read.recvlogicalNote(), "", "≥ 0.90"));
        }
        r.append(row(
                "2e",
                "bare pgjdbc replication stream, read and discarded",
                fmt(
                        "%.0f changes/s (%.2f s); %.2f µs" + " client CPU per change",
                        rawRate, read.rawSeconds(), read.rawCpuSeconds() * 1e6 / read.changes()),
                fmt(
                        "zeroetl %.2f of it; zeroetl %.2f µs CPU per change on its reading thread",
                        zRate / rawRate, read.zeroetlCpuSeconds() * 1e6 / read.changes()),
                "≥ 0.90"));
        if (read.debeziumSeconds() != null) {
            double dRate = read.changes() / read.debeziumSeconds();
            r.append(row(
                    "2c",
                    "Debezium embedded engine (pgoutput, no-op consumer)",
                    fmt("%.0f changes/s (%.2f s)", dRate, read.debeziumSeconds()),
                    fmt("zeroetl %.1fx Debezium", zRate / dRate),
                    "≥ 3x"));
        } else {
            r.append(row("2c", "Debezium embedded engine", "failed: " + read.debeziumError(), "", "≥ 3x"));
        }
        EndToEnd.Run insert = e2e.run(Env.Loader.INSERT);
        EndToEnd.Run viaS3 = e2e.run(Env.Loader.S3);
        r.append(row(
                "3a",
                "zeroetl PostgreSQL → Redshift emulator, staged by INSERTs",
                fmt(
                        "%.0f changes/s (%.2f s)," + " validated %s",
                        e2e.changes() / insert.seconds(), insert.seconds(), insert.validated() ? "clean" : "NOT clean"),
                "",
                ""));
        r.append(row(
                "3a'",
                "zeroetl PostgreSQL → Redshift emulator, staged through S3 + COPY",
                fmt(
                        "%.0f changes/s" + " (%.2f s), validated %s",
                        e2e.changes() / viaS3.seconds(), viaS3.seconds(), viaS3.validated() ? "clean" : "NOT clean"),
                fmt("S3 path %.1fx the INSERT path", insert.seconds() / viaS3.seconds()),
                "≥ 3x"));
        if (e2e.debeziumSeconds() != null) {
            r.append(row(
                    "3b",
                    "Debezium embedded + JDBC sink (upsert) → PostgreSQL",
                    fmt("%.0f changes/s (%.2f s)", e2e.changes() / e2e.debeziumSeconds(), e2e.debeziumSeconds()),
                    fmt("zeroetl (S3) %.1fx Debezium", e2e.debeziumSeconds() / viaS3.seconds()),
                    "≥ 5x"));
        } else {
            r.append(row("3b", "Debezium embedded + JDBC sink", "failed: " + e2e.debeziumError(), "", "≥ 5x"));
        }
        r.append(row(
                "3c",
                "COPY of the final rows into PostgreSQL (the limit)",
                fmt("%d rows in %.2f s", e2e.finalRows(), e2e.copySeconds()),
                fmt("zeroetl (S3) takes %.1fx the COPY's time", viaS3.seconds() / e2e.copySeconds()),
                ""));
        EndToEnd.Run plain = e2e.run(Env.Loader.S3_PLAIN);
        EndToEnd.Run zstd = e2e.run(Env.Loader.S3_ZSTD);
        r.append(row(
                "3e",
                "pipeline CPU on the load path through S3 (its own threads; the emulator's merge is not counted)",
                fmt(
                        "GZIP files %.1f CPU-s per million changes (%.0f bytes to S3 a change); plain CSV"
                                + " (compression NONE) %.1f (%.0f bytes a change), %.0f changes/s, validated %s;"
                                + " Zstandard %.1f (%.0f bytes a change), validated %s",
                        viaS3.pipelineCpuSeconds() * 1e6 / e2e.changes(),
                        (double) viaS3.s3Bytes() / e2e.changes(),
                        plain.pipelineCpuSeconds() * 1e6 / e2e.changes(),
                        (double) plain.s3Bytes() / e2e.changes(),
                        e2e.changes() / plain.seconds(),
                        plain.validated() ? "clean" : "NOT clean",
                        zstd.pipelineCpuSeconds() * 1e6 / e2e.changes(),
                        (double) zstd.s3Bytes() / e2e.changes(),
                        zstd.validated() ? "clean" : "NOT clean"),
                fmt("NONE %.2f of GZIP's CPU", plain.pipelineCpuSeconds() / viaS3.pipelineCpuSeconds()),
                "≤ 16 CPU-s"));
        for (EndToEnd.Run run : e2e.runs()) {
            double per10k = 10_000.0 / e2e.changes();
            r.append(row(
                    "3d",
                    "what reaches a cluster, staged by " + run.loader(),
                    fmt(
                            "per 10,000 changes: %.0f"
                                    + " statements (each a round trip), %.1f commits; %.0f bytes to the cluster and %.0f to S3 per"
                                    + " change; pipeline %.1f CPU-s per million changes",
                            run.statements() * per10k,
                            run.commits() * per10k,
                            (double) run.targetBytes() / e2e.changes(),
                            (double) run.s3Bytes() / e2e.changes(),
                            run.pipelineCpuSeconds() * 1e6 / e2e.changes()),
                    "",
                    ""));
        }
        for (Latency.Result l : latency) {
            r.append(row(
                    "4",
                    "latency at 5,000 changes/s, flushInterval "
                            + l.flushInterval().toMillis() + " ms",
                    fmt("p50 %.0f ms, p95 %.0f ms, p99 %.0f ms (%d commits)", l.p50(), l.p95(), l.p99(), l.commits()),
                    "",
                    l.flushInterval().toMillis() == 250 ? "p99 ≤ 1,000 ms" : ""));
        }
        for (Env.Loader loader : snapshot.zeroetlSeconds().keySet()) {
            double z = snapshot.zeroetlSeconds().get(loader);
            r.append(row(
                    "5",
                    "initial copy of " + snapshot.rows() + " rows, staged "
                            + switch (loader) {
                                case S3 -> "through S3 + COPY (gzipped CSV)";
                                case S3_PLAIN -> "through S3 + COPY (plain CSV)";
                                case S3_ZSTD -> "through S3 + COPY (Zstandard CSV)";
                                case INSERT -> "by INSERTs";
                            },
                    fmt("%.0f rows/s (%.2f s); COPY out + in %.2f s", snapshot.rows() / z, z, snapshot.copySeconds()),
                    fmt("%.2f of the COPY limit", snapshot.copySeconds() / z),
                    loader == Env.Loader.INSERT ? "" : "≥ 0.50"));
        }
        r.append(row(
                "6",
                "memory, one " + memory.rows() + "-row transaction, -Xmx256m",
                memory.error() != null
                        ? "failed: " + memory.error()
                        : fmt(
                                "peak heap ≤ %d MB (sum of the pools' peaks), peak RSS %d MB, %.1f s",
                                memory.peakHeapMb(), memory.peakRssMb(), memory.seconds()),
                "",
                "bounded"));
        r.append(row(
                "7",
                "validation of a " + validation.rows() + "-row table",
                fmt(
                        "%.1f s (%.0f rows/s), %s",
                        validation.seconds(),
                        validation.rows() / validation.seconds(),
                        validation.clean() ? "clean" : "NOT clean"),
                "",
                "minutes, not hours"));
        r.append(row(
                "7b",
                "validation of a " + documents.rows() + "-row table of text[] and jsonb (SUPER)",
                fmt(
                        "%.1f s (%.0f rows/s), %s",
                        documents.seconds(),
                        documents.rows() / documents.seconds(),
                        documents.clean() ? "clean" : "NOT clean"),
                fmt(
                        "%.2f of 7's rows/s",
                        documents.rows() / documents.seconds() / (validation.rows() / validation.seconds())),
                "a small factor"));
        r.append(row(
                "8a",
                "continuous verification, verifying without pause, " + verify.tableRows() + "-row table + a hot one,"
                        + " steady 1,200 changes/s",
                fmt(
                        "%.0f rows verified/s; applied %.0f vs %.0f changes/s off; max lag %d vs %d ms",
                        verify.steadyOn().verifiedPerSecond(),
                        verify.steadyOn().appliedPerSecond(),
                        verify.steadyOff().appliedPerSecond(),
                        verify.steadyOn().maxLagMillis(),
                        verify.steadyOff().maxLagMillis()),
                fmt(
                        "%.3f",
                        verify.steadyOn().appliedPerSecond()
                                / verify.steadyOff().appliedPerSecond()),
                "≥ 0.95"));
        r.append(row(
                "8b",
                "continuous verification, " + verify.saturated() + " transactions written as fast as they go",
                fmt(
                        "%.0f vs %.0f changes/s off",
                        verify.saturatedOn().appliedPerSecond(),
                        verify.saturatedOff().appliedPerSecond()),
                fmt("%.3f", verify.throughputRatio()),
                "≥ 0.95"));
        for (Spread.Result s : spread) {
            r.append(row(
                    "9",
                    s.changes() + " single-row updates round-robin over " + s.tables() + " tables (" + s.loader()
                            + "), default batches",
                    fmt(
                            "%d batches; %.1f statements and %.1f tables touched a batch, %.2f DDL a batch; %.0f"
                                    + " changes/s",
                            s.batches(),
                            s.statementsPerBatch(),
                            s.touchedPerBatch(),
                            s.ddlPerBatch(),
                            s.changesPerSecond()),
                    fmt("%.2f statements a touched table", s.statementsPerTouchedTable()),
                    "≤ 2 a touched table, no DDL"));
        }
        for (Pipelines.Result p : sharing) {
            r.append(row(
                    "10",
                    p.pipelines() + " pipeline(s), one source database each, into one " + p.isolation()
                            + " target, each on a backlog of " + p.changesEach() + " row updates",
                    fmt(
                            "%.1f s; %.0f changes/s in all; %d transactions rolled back",
                            p.seconds(), p.changesPerSecond(), p.rolledBack()),
                    fmt(
                            "%.1f %% of its time waiting on the others (mean %.1f %%)",
                            100 * p.maxWaitShare(), 100 * p.meanWaitShare()),
                    "< 10 % (SNAPSHOT)"));
        }
        r.append("\n![throughput](throughput.png)\n\n![latency](latency.png)\n\n");
        r.append("## Where the time goes\n\n");
        r.append("CPU by part (threads of this JVM by name; PostgreSQL processes by server, from /proc):\n\n");
        r.append("- read + decode (2b): ").append(read.cpu()).append("\n");
        for (EndToEnd.Run run : e2e.runs()) {
            r.append("- end to end (3a, ")
                    .append(run.loader())
                    .append("): ")
                    .append(run.cpu())
                    .append("\n");
        }
        snapshot.cpu()
                .forEach((loader, cpu) -> r.append("- initial copy (5, ")
                        .append(loader)
                        .append("): ")
                        .append(cpu)
                        .append("\n"));
        r.append("\n");
        for (EndToEnd.Run run : e2e.runs()) {
            r.append("End to end (")
                    .append(run.loader())
                    .append("), JFR execution samples on the pipeline's threads:")
                    .append("\n\n")
                    .append(run.profile())
                    .append("\n");
        }
        return r.toString();
    }

    private static String row(String n, String what, String result, String ratio, String goal) {
        return "| " + n + " | " + what + " | " + result.replace("|", "/").replace("\n", " ") + " | " + ratio + " | "
                + goal + " |\n";
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

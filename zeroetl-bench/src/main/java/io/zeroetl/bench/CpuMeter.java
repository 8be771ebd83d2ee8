package io.zeroetl.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU seconds spent by each part of a run, so the report can say where the time goes even when it is not in
 * zeroetl's threads: the pipeline's threads, the emulator's wire proxy, the rest of this JVM, and the
 * PostgreSQL servers behind the target (the emulator's, by its cluster name) and the source (Linux only).
 */
final class CpuMeter {
    static final String PIPELINE = "pipeline threads";
    static final String PROXY = "emulator wire proxy";
    static final String S3 = "S3 server (S3Proxy)";
    static final String JVM = "other JVM threads (in 2b the reading thread; GC, JIT, ended threads)";
    static final String TARGET = "emulator's PostgreSQL (target SQL)";
    static final String SOURCE = "source PostgreSQL (WAL sender, COPY)";
    private static final double TICKS = 100.0;

    private final Map<String, Double> start;
    private final long wallStart = System.nanoTime();

    private CpuMeter() {
        this.start = sample();
    }

    static CpuMeter start() {
        return new CpuMeter();
    }

    /** CPU seconds per part since {@link #start()}, and the wall-clock seconds, as one Markdown line. */
    String summary() {
        Map<String, Double> end = sample();
        double wall = (System.nanoTime() - wallStart) / 1e9;
        Map<String, Double> spent = new LinkedHashMap<>();
        for (String part : new String[] {PIPELINE, PROXY, S3, JVM, TARGET, SOURCE}) {
            spent.put(part, Math.max(0, end.getOrDefault(part, 0.0) - start.getOrDefault(part, 0.0)));
        }
        double total = spent.values().stream().mapToDouble(Double::doubleValue).sum();
        return String.format(
                        Locale.ROOT,
                        "%.0f s of wall clock, %.0f CPU-seconds (of %.0f available on %d" + " cores): ",
                        wall,
                        total,
                        wall * Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().availableProcessors())
                + spent.entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", "));
    }

    /** CPU seconds {@code part} spent since {@link #start()}. */
    double seconds(String part) {
        return Math.max(0, sample().getOrDefault(part, 0.0) - start.getOrDefault(part, 0.0));
    }

    private static Map<String, Double> sample() {
        Map<String, Double> parts = new HashMap<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double named = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(t.getThreadId());
            if (nanos < 0) {
                continue;
            }
            String part = t.getThreadName().startsWith("zeroetl-")
                    ? PIPELINE
                    : t.getThreadName().startsWith("redshift-emulator-")
                            ? PROXY
                            : t.getThreadName().startsWith("qtp")
                                            || t.getThreadName().startsWith("S3Proxy")
                                    ? S3
                                    : null;
            if (part != null) {
                parts.merge(part, nanos / 1e9, Double::sum);
                named += nanos / 1e9;
            }
        }
        long process = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        parts.put(JVM, process / 1e9 - named);
        postgres(parts);
        return parts;
    }

    /** Adds the CPU of every PostgreSQL process tree: the postmaster's own and reaped children's, and live children. */
    private static void postgres(Map<String, Double> parts) {
        Map<Long, long[]> stats = new HashMap<>();
        Map<Long, String> commands = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> {
                        try {
                            String stat = Files.readString(p.resolve("stat"), StandardCharsets.ISO_8859_1);
                            String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                            if (!comm.startsWith("postgres")) {
                                return;
                            }
                            String[] f =
                                    stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            // after the command: state ppid ... utime(12) stime(13) cutime(14) cstime(15)
                            long pid = Long.parseLong(p.getFileName().toString());
                            stats.put(pid, new long[] {
                                Long.parseLong(f[1]),
                                Long.parseLong(f[11]) + Long.parseLong(f[12]),
                                Long.parseLong(f[13]) + Long.parseLong(f[14])
                            });
                            commands.put(
                                    pid,
                                    new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.ISO_8859_1));
                        } catch (IOException | RuntimeException e) {
                            // the process ended while being read
                        }
                    });
        } catch (IOException e) {
            return;
        }
        Map<Long, Boolean> emulatorRoots = new HashMap<>();
        for (Map.Entry<Long, long[]> e : stats.entrySet()) {
            long root = e.getKey();
            while (stats.containsKey(stats.get(root)[0])) {
                root = stats.get(root)[0];
            }
            boolean emulator = commands.getOrDefault(e.getKey(), "").contains("zeroetl_redshift_emulator");
            emulatorRoots.merge(root, emulator, Boolean::logicalOr);
        }
        for (Map.Entry<Long, long[]> e : stats.entrySet()) {
            long root = e.getKey();
            while (stats.containsKey(stats.get(root)[0])) {
                root = stats.get(root)[0];
            }
            long ticks = e.getValue()[1] + (root == e.getKey() ? e.getValue()[2] : 0);
            parts.merge(emulatorRoots.get(root) ? TARGET : SOURCE, ticks / TICKS, Double::sum);
        }
    }
}

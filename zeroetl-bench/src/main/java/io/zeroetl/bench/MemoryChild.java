package io.zeroetl.bench;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * The pipeline JVM of {@link Memory}: starts a pipeline, commits one transaction of {@code rows} rows at
 * the source, waits until the target has it, and prints {@code PEAK <heap MB> <rss MB> <seconds>}.
 */
public final class MemoryChild {
    private MemoryChild() {}

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[6]);
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(args[0])
                .user(args[1])
                .password(args[2])
                .ddlCapture(false)
                .build();
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(args[3])
                .user(args[4])
                .password(args[5])
                .ssl(false)
                .build();
        Properties props = new Properties();
        props.setProperty("user", args[1]);
        props.setProperty("password", args[2]);
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.orders")
                .pipelineId("memory")
                .start()) {
            pipeline.awaitCaughtUp(Duration.ofMinutes(5));
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(args[0], props);
                    Statement s = c.createStatement()) {
                s.execute("INSERT INTO orders SELECT g, 'customer-' || g, g % 1000 FROM generate_series(1, " + rows
                        + ") g");
            }
            if (!pipeline.awaitCaughtUp(Duration.ofHours(2))) {
                throw new IllegalStateException("not caught up: " + pipeline.status());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long heap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heap += pool.getPeakUsage().getUsed();
                }
            }
            long rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024)
                    .findFirst()
                    .orElse(-1L);
            System.out.printf("PEAK %d %d %.1f%n", heap >> 20, rss, seconds);
        } finally {
            source.retire("memory");
            source.close();
        }
    }
}

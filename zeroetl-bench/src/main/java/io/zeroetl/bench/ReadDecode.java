package io.zeroetl.bench;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.change.RowChange;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.spi.StreamItem;
import io.zeroetl.spi.StreamRequest;
import io.zeroetl.spi.WalStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

/**
 * Source read + decode over one WAL, side by side: PostgreSQL's own pgoutput emission (peek on a slot),
 * its own streaming client ({@code pg_recvlogical}, where installed), a bare pgjdbc replication stream that
 * discards what it reads, zeroetl's {@code PostgresSource} (its stream, decoding included, no target), and Debezium's
 * embedded engine. Every slot is created before the workload, so each reads exactly the same changes.
 */
final class ReadDecode {
    record Result(
            long changes,
            double limitSeconds,
            double zeroetlSeconds,
            Double debeziumSeconds,
            String debeziumError,
            String cpu,
            double rawSeconds,
            Double recvlogicalSeconds,
            String recvlogicalNote,
            double zeroetlCpuSeconds,
            double rawCpuSeconds) {}

    private ReadDecode() {}

    static Result run(Env env, long changes) throws Exception {
        String db = env.newDatabase();
        try (Connection c = env.connect(db);
                Statement s = c.createStatement()) {
            Workload.create(c);
            s.execute("CREATE PUBLICATION bench_limit FOR TABLE orders, wide");
            s.execute("CREATE PUBLICATION zeroetl_bench_read FOR TABLE orders, wide");
            s.execute("CREATE PUBLICATION dbz_pub FOR TABLE orders, wide");
            s.execute("SELECT pg_create_logical_replication_slot('bench_limit', 'pgoutput')");
            s.execute("SELECT pg_create_logical_replication_slot('zeroetl_bench_read', 'pgoutput')");
            s.execute("SELECT pg_create_logical_replication_slot('dbz', 'pgoutput')");
            s.execute("SELECT pg_create_logical_replication_slot('bench_raw', 'pgoutput')");
            s.execute("SELECT pg_create_logical_replication_slot('bench_recv', 'pgoutput')");
            String start = Workload.lsn(c);
            long changed = Workload.run(c, changes);
            Bench.log("read+decode: workload of " + changed + " row changes written");

            long t0 = System.nanoTime();
            long emitted;
            Lsn end;
            try (ResultSet rs = s.executeQuery("SELECT count(*), max(lsn) FROM pg_logical_slot_peek_binary_changes("
                    + "'bench_limit', NULL, NULL, 'proto_version', '1', 'publication_names', 'bench_limit')")) {
                rs.next();
                emitted = rs.getLong(1);
                // the last message: the streaming readers below stop once they received it
                end = Lsn.parse(rs.getString(2));
            }
            double limit = seconds(t0);
            Bench.log("read+decode: PostgreSQL emitted " + emitted + " messages in " + limit + " s");

            Recv recv = recvlogical(env, db, end);
            Bench.log("read+decode: pg_recvlogical " + (recv.seconds() != null ? recv.seconds() + " s" : recv.note()));
            long raw0 = threadCpu();
            double raw = raw(env, db, end);
            double rawCpu = (threadCpu() - raw0) / 1e9;
            Bench.log("read+decode: bare pgjdbc stream " + raw + " s, " + rawCpu + " CPU-s on its thread");

            CpuMeter meter = CpuMeter.start();
            long z0 = threadCpu();
            double zeroetl = zeroetl(env, db, Lsn.parse(start), changed);
            double zeroetlCpu = (threadCpu() - z0) / 1e9;
            String cpu = meter.summary();
            Bench.log(
                    "read+decode: zeroetl " + zeroetl + " s (" + zeroetlCpu + " CPU-s on the reading thread); " + cpu);
            Double debezium = null;
            String error = null;
            try {
                debezium = Debezium.readOnly(env, db, changed);
                Bench.log("read+decode: Debezium " + debezium + " s");
            } catch (Exception | LinkageError e) {
                error = e.toString();
                Bench.log("read+decode: Debezium failed: " + error);
            }
            for (String slot : new String[] {"bench_limit", "zeroetl_bench_read", "dbz", "bench_raw", "bench_recv"}) {
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + slot + "' AND NOT active");
            }
            return new Result(
                    changed,
                    limit,
                    zeroetl,
                    debezium,
                    error,
                    cpu,
                    raw,
                    recv.seconds(),
                    recv.note(),
                    zeroetlCpu,
                    rawCpu);
        } finally {
            env.pg.dropDatabase(db);
        }
    }

    /** Reads the WAL with zeroetl's stream (which decodes it) until every row change arrived. */
    private static double zeroetl(Env env, String db, Lsn start, long changes) throws Exception {
        PostgresSource source = env.source(db);
        AtomicLong rows = new AtomicLong();
        long t0 = System.nanoTime();
        try (WalStream stream = source.reader()
                .open(new StreamRequest(
                        "bench_read", Set.of(TableId.of("public", "orders"), TableId.of("public", "wide")), start))) {
            while (rows.get() < changes) {
                StreamItem m = stream.read(Duration.ofSeconds(5));
                if (m == null) {
                    throw new IllegalStateException("zeroetl's stream went quiet after " + rows + " of " + changes);
                }
                if (!m.isProgress() && m.event() instanceof RowChange) {
                    rows.incrementAndGet();
                }
            }
        } finally {
            source.close();
        }
        return seconds(t0);
    }

    private record Recv(Double seconds, String note) {}

    /**
     * PostgreSQL's own client, {@code pg_recvlogical}, streaming the slot to /dev/null up to {@code end}: the
     * replication protocol's limit for any client. The Maven-fetched server binaries lack it; a local
     * installation's is used when there is one.
     */
    private static Recv recvlogical(Env env, String db, Lsn end) throws Exception {
        Optional<Path> binary = Stream.of("/usr/lib/postgresql", "/usr/pgsql")
                .map(Path::of)
                .filter(Files::isDirectory)
                .flatMap(dir -> {
                    try (var versions = Files.list(dir)) {
                        return versions
                                .map(v -> v.resolve("bin/pg_recvlogical"))
                                .filter(Files::isExecutable)
                                .sorted(Comparator.reverseOrder())
                                .toList()
                                .stream();
                    } catch (IOException e) {
                        return Stream.empty();
                    }
                })
                .findFirst();
        if (binary.isEmpty()) {
            return new Recv(null, "not installed on this machine");
        }
        ProcessBuilder pb = new ProcessBuilder(
                        binary.get().toString(),
                        "--dbname=host=" + env.pg.host() + " port=" + env.pg.port() + " dbname=" + db + " user="
                                + env.pg.user(),
                        "--slot=bench_recv",
                        "--start",
                        "--endpos=" + end,
                        "--no-loop",
                        "-o",
                        "proto_version=1",
                        "-o",
                        "publication_names=bench_limit",
                        "--file=/dev/null")
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", env.pg.password());
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            return new Recv(null, "failed: " + out.strip());
        }
        return new Recv(seconds(t0), binary.get().toString());
    }

    /** A bare pgjdbc replication stream that reads the slot's messages and discards them, up to {@code end}. */
    private static double raw(Env env, String db, Lsn end) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", env.pg.user());
        props.setProperty("password", env.pg.password());
        props.setProperty("replication", "database");
        props.setProperty("assumeMinServerVersion", "10");
        props.setProperty("preferQueryMode", "simple");
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(env.pg.jdbcUrl(db), props)) {
            PGReplicationStream stream = c.unwrap(PGConnection.class)
                    .getReplicationAPI()
                    .replicationStream()
                    .logical()
                    .withSlotName("bench_raw")
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", "bench_limit")
                    .withStatusInterval(10, TimeUnit.SECONDS)
                    .start();
            long bytes = 0;
            while (Long.compareUnsigned(stream.getLastReceiveLSN().asLong(), end.value()) < 0) {
                bytes += stream.read().remaining();
            }
            stream.close();
            Bench.log("read+decode: bare stream read " + bytes + " bytes");
        }
        return seconds(t0);
    }

    private static long threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
    }
}

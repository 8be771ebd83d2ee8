package io.zeroetl.bench;

import io.debezium.connector.jdbc.JdbcSinkConnectorTask;
import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium driven in-process: its embedded engine with the PostgreSQL connector (pgoutput), tuned for
 * throughput as its documentation advises (large batches and queue, short poll interval), and its JDBC
 * sink connector's task fed directly with the engine's records (batching on, upsert mode).
 */
final class Debezium {
    private Debezium() {}

    /** Seconds for the engine to deliver {@code changes} row changes from slot {@code dbz} to a no-op consumer. */
    static double readOnly(Env env, String db, long changes) throws Exception {
        AtomicLong seen = new AtomicLong();
        return run(
                env,
                db,
                "dbz",
                "dbz_pub",
                changes,
                records -> records.forEach(r -> {
                    if (isChange(r)) {
                        seen.incrementAndGet();
                    }
                }),
                seen);
    }

    /**
     * Seconds for the engine plus the JDBC sink to apply {@code changes} row changes from slot
     * {@code dbz_e2e} into database {@code targetDb}; {@code progress} hears the count as it grows.
     */
    static double toJdbc(Env env, String db, String targetDb, long changes, Consumer<Long> progress) throws Exception {
        JdbcSinkConnectorTask task = new JdbcSinkConnectorTask();
        task.initialize(new Context());
        task.start(Map.of(
                "connection.url",
                env.pg.jdbcUrl(targetDb),
                "connection.username",
                env.pg.user(),
                "connection.password",
                env.pg.password(),
                "insert.mode",
                "upsert",
                "delete.enabled",
                "true",
                "primary.key.mode",
                "record_key",
                "schema.evolution",
                "basic",
                "batch.size",
                "5000",
                "collection.name.format",
                "${source.table}"));
        AtomicLong applied = new AtomicLong();
        AtomicLong offset = new AtomicLong();
        try {
            return run(
                    env,
                    db,
                    "dbz_e2e",
                    "dbz_e2e_pub",
                    changes,
                    records -> {
                        List<SinkRecord> batch = new ArrayList<>(records.size());
                        long n = 0;
                        for (SourceRecord r : records) {
                            if (isChange(r)) {
                                batch.add(new SinkRecord(
                                        r.topic(),
                                        0,
                                        r.keySchema(),
                                        r.key(),
                                        r.valueSchema(),
                                        r.value(),
                                        offset.incrementAndGet()));
                                n++;
                            }
                        }
                        if (!batch.isEmpty()) {
                            task.put(batch);
                        }
                        progress.accept(applied.addAndGet(n));
                    },
                    applied);
        } finally {
            task.stop();
        }
    }

    private static double run(
            Env env,
            String db,
            String slot,
            String publication,
            long changes,
            Consumer<List<SourceRecord>> consumer,
            AtomicLong counter)
            throws Exception {
        URI uri = URI.create(env.pg.jdbcUrl(db).substring("jdbc:".length()));
        Properties p = new Properties();
        p.setProperty("name", "bench-" + slot);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "60000");
        p.setProperty("database.hostname", uri.getHost());
        p.setProperty("database.port", Integer.toString(uri.getPort()));
        p.setProperty("database.user", env.pg.user());
        p.setProperty("database.password", env.pg.password());
        p.setProperty("database.dbname", db);
        p.setProperty("topic.prefix", "bench");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        p.setProperty("publication.name", publication);
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("table.include.list", "public.orders,public.wide");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("max.batch.size", "10240");
        p.setProperty("max.queue.size", "40960");
        p.setProperty("poll.interval.ms", "5");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine = DebeziumEngine.create(Connect.class)
                .using(p)
                .notifying((records, committer) -> {
                    List<SourceRecord> batch = new ArrayList<>(records.size());
                    for (ChangeEvent<SourceRecord, SourceRecord> r : records) {
                        batch.add(r.value());
                    }
                    consumer.accept(batch);
                    for (ChangeEvent<SourceRecord, SourceRecord> r : records) {
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                })
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(error != null ? error : new IllegalStateException(message));
                    }
                })
                .build()) {
            executor.execute(engine);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (counter.get() < changes) {
                if (failure.get() != null) {
                    throw new IllegalStateException("Debezium stopped: " + failure.get(), failure.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Debezium delivered " + counter.get() + " of " + changes);
                }
                Thread.sleep(20);
            }
            return ReadDecode.seconds(t0);
        } finally {
            executor.shutdownNow();
        }
    }

    private static boolean isChange(SourceRecord r) {
        if (!(r.value() instanceof Struct value) || value.schema().field("op") == null) {
            return false;
        }
        String op = value.getString("op");
        return "c".equals(op) || "u".equals(op) || "d".equals(op);
    }

    /** The little a sink task asks of its context here. */
    private static final class Context implements SinkTaskContext {
        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {}

        @Override
        public void offset(TopicPartition tp, long offset) {}

        @Override
        public void timeout(long timeoutMs) {}

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of();
        }

        @Override
        public void pause(TopicPartition... partitions) {}

        @Override
        public void resume(TopicPartition... partitions) {}

        @Override
        public void requestCommit() {}

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}

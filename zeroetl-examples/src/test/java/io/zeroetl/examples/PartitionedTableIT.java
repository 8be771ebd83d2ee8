package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zeroetl.ErrorCode;
import io.zeroetl.Pipeline;
import io.zeroetl.PipelineListener;
import io.zeroetl.PipelineState;
import io.zeroetl.TableState;
import io.zeroetl.TableStatus;
import io.zeroetl.ZeroEtl;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.testing.EmbeddedPostgres;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A partitioned table replicated as one target table: its partitions' rows, whatever their depth or column
 * order, copied and streamed under its name; rows moving between partitions; partitions created, attached,
 * detached, dropped and truncated while it runs, each compared row by row with the source afterwards.
 */
class PartitionedTableIT {
    /** events by year (2025 a plain partition with its columns in another order; 2026 by hash of id). */
    private static final String[] EVENTS = {
        "CREATE TABLE events (id int, at date, kind text, amount numeric(12,2), PRIMARY KEY (id, at))"
                + " PARTITION BY RANGE (at)",
        "CREATE TABLE events_2025 (amount numeric(12,2), kind text, at date NOT NULL, id int NOT NULL)",
        "ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"
                + " PARTITION BY HASH (id)",
        "CREATE TABLE events_2026_a PARTITION OF events_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
        "CREATE TABLE events_2026_b PARTITION OF events_2026 FOR VALUES WITH (MODULUS 2, REMAINDER 1)",
        "INSERT INTO events SELECT g, DATE '2025-01-01' + g * 3, 'k' || g % 5, g * 1.5 FROM generate_series(1, 200) g"
    };

    @Test
    void aPartitionedTableIsOneTargetTableCopiedAndStreamedWhateverItsPartitionsDepthAndColumnOrder() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(EVENTS);
            Pipeline pipeline = rig.start(b -> b.include("public.*"));
            LiveRig.assertSame(pipeline, "public.events");
            assertThat(pipeline.status().tables()).containsOnlyKeys(io.zeroetl.TableId.parse("public.events"));
            rig.sql(
                    "INSERT INTO events VALUES (1001, '2025-06-01', 'late', 1), (1002, '2026-06-01', 'new', 2)",
                    // moves rows between partitions (and between levels)
                    "UPDATE events SET at = at + 365 WHERE id % 7 = 0 AND at < '2026-01-01'",
                    "UPDATE events SET kind = 'changed', amount = amount * 2 WHERE id % 3 = 0",
                    "DELETE FROM events WHERE id % 11 = 0");
            LiveRig.assertSame(pipeline, "public.events");
            assertThat(rig.target("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                    .containsExactly("events");
            assertThat(rig.target("SELECT count(*) FROM public.events"))
                    .containsExactly(rig.sourceValue("SELECT count(*) FROM events"));
            // dropped whole, its partitions with it: DROPPED, not copied again for the partitions it lost
            rig.sql("DROP TABLE events");
            LiveRig.awaitState(pipeline, "public.events", TableState.DROPPED);
        }
    }

    @Test
    void partitionsCreatedAttachedDetachedDroppedAndTruncatedWhileRunningLeaveTheTargetEqualToTheSource()
            throws Exception {
        try (LiveRig rig = new LiveRig()) {
            partitionLifecycle(rig);
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {15, 17, 18})
    void thePartitionLifecycleHoldsOnEverySupportedVersion(int version) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version(version).start();
                LiveRig rig = new LiveRig(pg, null)) {
            partitionLifecycle(rig);
        }
    }

    private static void partitionLifecycle(LiveRig rig) throws Exception {
        rig.sql(EVENTS);
        Pipeline pipeline = rig.start(b -> b.tables("public.events"));
        rig.sql(
                "CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
                "INSERT INTO events VALUES (3001, '2027-02-01', 'in a new partition', 3)");
        awaitSame(pipeline, "a partition created");
        rig.sql(
                "CREATE TABLE events_2024 (kind text, id int NOT NULL, at date NOT NULL, amount numeric(12,2))",
                "INSERT INTO events_2024 VALUES ('attached', 4001, '2024-03-01', 4), ('attached', 4002,"
                        + " '2024-04-01', 5)",
                "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        awaitSame(pipeline, "a partition with rows attached");
        assertThat(rig.target("SELECT count(*) FROM public.events WHERE kind = 'attached'"))
                .containsExactly("2");
        rig.sql("ALTER TABLE events DETACH PARTITION events_2024");
        awaitSame(pipeline, "a partition detached");
        assertThat(rig.target("SELECT count(*) FROM public.events WHERE kind = 'attached'"))
                .containsExactly("0");
        rig.sql("TRUNCATE events_2026_a");
        awaitSame(pipeline, "a partition truncated");
        // every partition rewritten with new values, the partitioned table itself reports no rewrite
        rig.sql("ALTER TABLE events ALTER COLUMN kind TYPE text USING upper(kind)");
        awaitSame(pipeline, "a column recomputed with USING in every partition");
        rig.sql("DROP TABLE events_2025");
        awaitSame(pipeline, "a partition dropped");
        assertThat(rig.target("SELECT count(*) FROM public.events"))
                .containsExactly(rig.sourceValue("SELECT count(*) FROM events"));
        rig.sql("TRUNCATE events");
        awaitSame(pipeline, "the partitioned table truncated");
        assertThat(rig.target("SELECT count(*) FROM public.events")).containsExactly("0");
        // a partition whose rows the WAL does not carry: the table cannot be replicated whole, and says why
        rig.sql(
                "CREATE UNLOGGED TABLE events_2030 PARTITION OF events FOR VALUES FROM ('2030-01-01') TO"
                        + " ('2031-01-01')",
                "INSERT INTO events VALUES (7001, '2030-02-01', 'unlogged', 1)");
        assertThat(LiveRig.awaitState(pipeline, "public.events", TableState.FAILED)
                        .reason())
                .contains("public.events_2030 is UNLOGGED");
    }

    @Test
    void thePublicationHealthCheckTakesAPartitionedTableListedByItsPartitionsAsPublished() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(EVENTS);
            PostgresSource checkedOften = PostgresSource.builder()
                    .jdbcUrl(rig.pg.jdbcUrl(rig.db))
                    .user(rig.pg.user())
                    .password(rig.pg.password())
                    .statusInterval(Duration.ofMillis(100))
                    .build();
            List<TableState> states = new CopyOnWriteArrayList<>();
            try (Pipeline pipeline = ZeroEtl.from(checkedOften)
                    .to(rig.targetBuilder().build())
                    .tables("public.events")
                    .flushInterval(Duration.ofMillis(100))
                    .listener(new PipelineListener() {
                        @Override
                        public void stateChanged(PipelineState from, PipelineState to) {}

                        @Override
                        public void tableStateChanged(TableStatus status) {
                            states.add(status.state());
                        }
                    })
                    .start()) {
                LiveRig.caughtUp(pipeline);
                // what must not happen has no event to await: give the health check (one a status interval) about 20
                // turns, each of which would copy again a table it found unpublished
                Thread.sleep(2_000);
                rig.sql("INSERT INTO events VALUES (6001, '2026-09-01', 'after the checks', 1)");
                LiveRig.assertSame(pipeline, "public.events");
                assertThat(states).as("copied once, never again").doesNotContain(TableState.RESYNCING);
            }
        }
    }

    @Test
    void namingBothAPartitionedTableAndItsPartitionIsRefusedSayingWhichToName() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(EVENTS);
            assertThatThrownBy(() -> ZeroEtl.from(rig.source)
                            .to(rig.targetBuilder().build())
                            .tables("public.events", "public.events_2026_a")
                            .start())
                    .isInstanceOfSatisfying(ZeroEtlException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
                        assertThat(e.getMessage())
                                .contains("public.events_2026_a is a partition of public.events")
                                .contains("name public.events alone");
                    });
        }
    }

    @Test
    void partitionsSelectedWithoutTheirTableAreReplicatedEachAsATable() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(EVENTS);
            Pipeline pipeline = rig.start(b -> b.include("public.events_2026_*", "public.events_2025"));
            rig.sql(
                    "INSERT INTO events VALUES (5001, '2026-05-01', 'streamed', 1), (5002, '2025-05-01', 'streamed', 1)");
            LiveRig.assertSame(pipeline, "public.events_2025", "public.events_2026_a", "public.events_2026_b");
            assertThat(rig.target("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                            + " ORDER BY 1"))
                    .containsExactly("events_2025", "events_2026_a", "events_2026_b");
        }
    }

    @Test
    void aPublicationThatPublishesThroughTheRootIsRefusedForThePartitionedTableWithTheFix() throws Exception {
        try (LiveRig rig = new LiveRig()) {
            rig.sql(EVENTS);
            rig.sql(
                    "CREATE TABLE other (id int PRIMARY KEY)",
                    "CREATE PUBLICATION dba_pub FOR TABLE events, other WITH (publish_via_partition_root = true)");
            PostgresSource source = PostgresSource.builder()
                    .jdbcUrl(rig.pg.jdbcUrl(rig.db))
                    .user(rig.pg.user())
                    .password(rig.pg.password())
                    .publication("dba_pub")
                    .build();
            try (Pipeline pipeline = ZeroEtl.from(source)
                    .to(rig.targetBuilder().build())
                    .tables("public.events", "public.other")
                    .start()) {
                assertThat(LiveRig.awaitState(pipeline, "public.events", TableState.FAILED)
                                .reason())
                        .contains("publish_via_partition_root = false");
                LiveRig.awaitState(pipeline, "public.other", TableState.SYNCED);
            }
        }
    }

    /**
     * Once the pipeline has taken in everything so far (a change that asks for a copy has then marked the table
     * for it), waits for the table to be SYNCED again and compares it with the source.
     */
    private static void awaitSame(Pipeline pipeline, String after) throws InterruptedException {
        LiveRig.caughtUp(pipeline);
        LiveRig.awaitState(pipeline, "public.events", TableState.SYNCED);
        try {
            LiveRig.assertSame(pipeline, "public.events");
        } catch (AssertionError e) {
            throw new AssertionError("after " + after + ": " + e.getMessage(), e);
        }
    }
}

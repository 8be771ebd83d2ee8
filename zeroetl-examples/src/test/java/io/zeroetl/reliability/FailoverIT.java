package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three pipeline JVMs run one pipeline under the mixed workload: one is active, two stand by. The active one
 * is killed with SIGKILL again and again (quick 3, long 20), paused with SIGSTOP past the failover timeout
 * and resumed, cut off from the target only and from the source only, and closed; each time another takes
 * over, and the one that lost its place steps down to STANDBY. At the end the target equals the source row by
 * row and history mode holds exactly one version per source change: nothing lost, nothing applied twice.
 */
class FailoverIT {
    private static final Duration TAKEOVER = Duration.ofMinutes(2);

    @Test
    void anotherInstanceTakesOverWhateverHappensToTheActiveOneAndNothingIsLostOrDoubled(@TempDir Path dir)
            throws Exception {
        int kills = Scale.of(3, 20);
        Random random = new Random(7);
        Map<String, List<Long>> takeovers = new LinkedHashMap<>();
        try (Rig rig = new Rig(dir)) {
            // the server notices a silent WAL sender after 5 s (default 60 s)
            rig.sql("ALTER SYSTEM SET wal_sender_timeout = '5s'", "SELECT pg_reload_conf()");
            rig.set("history", "public.accounts")
                    .set("exclude", "public.accounts_audit")
                    .set("failoverMs", "4000")
                    .set("target.socketTimeout", "15");
            MixedWorkload.createTables(rig, 5_000, 1_000);
            MixedWorkload workload = MixedWorkload.start(rig, 5_000, 1_000, 2, true, false);
            List<Replica> replicas = new ArrayList<>();
            int started = 0;
            try {
                for (; started < 3; started++) {
                    replicas.add(rig.startReplica("replica-" + started));
                }
                Replica active = awaitActive(replicas, null, Duration.ofMinutes(3));
                assertThat(Replica.await(
                                Duration.ofMinutes(3),
                                () -> active.printed("STATE SNAPSHOTTING -> STREAMING")
                                        || active.printed("STATE STANDBY -> STREAMING")
                                        || active.printed("STATE STARTING -> STREAMING")))
                        .as("the initial copy completes; " + active.tail())
                        .isTrue();
                for (Replica r : replicas) {
                    if (r != active) {
                        assertThat(Replica.await(
                                        Duration.ofMinutes(1), () -> r.state().equals("STANDBY")))
                                .as("the others stand by; " + r.tail())
                                .isTrue();
                    }
                }
                workload.startAccountChanges();
                Replica current = active;
                for (int k = 0; k < kills; k++) {
                    TimeUnit.MILLISECONDS.sleep(1_000 + random.nextInt(3_000));
                    long t0 = System.nanoTime();
                    current.kill();
                    replicas.remove(current);
                    Replica next = awaitActive(replicas, current, TAKEOVER);
                    record(takeovers, "kill -9", t0);
                    replicas.add(rig.startReplica("replica-" + started++));
                    current = next;
                }

                // paused past the failover timeout: another takes over; resumed, the paused one commits nothing
                TimeUnit.SECONDS.sleep(2);
                Replica paused = current;
                long t0 = System.nanoTime();
                paused.signal("STOP");
                Replica next = awaitActive(replicas, paused, TAKEOVER);
                record(takeovers, "SIGSTOP", t0);
                TimeUnit.SECONDS.sleep(3);
                paused.signal("CONT");
                assertThat(Replica.await(TAKEOVER, () -> paused.state().equals("STANDBY")))
                        .as("the resumed instance steps down; " + paused.tail())
                        .isTrue();
                current = next;

                for (String path : List.of("target", "source")) {
                    TimeUnit.SECONDS.sleep(2);
                    Replica cut = current;
                    t0 = System.nanoTime();
                    (path.equals("target") ? cut.targetProxy() : cut.sourceProxy()).partition();
                    next = awaitActive(replicas, cut, TAKEOVER);
                    record(takeovers, "cut off from the " + path, t0);
                    TimeUnit.SECONDS.sleep(2);
                    cut.targetProxy().heal();
                    cut.sourceProxy().heal();
                    assertThat(Replica.await(TAKEOVER, () -> cut.state().equals("STANDBY")))
                            .as("the instance cut off from the " + path + " steps down; " + cut.tail())
                            .isTrue();
                    current = next;
                }

                // closed: handed over at once, no timeout waited for
                TimeUnit.SECONDS.sleep(2);
                Replica closing = current;
                t0 = System.nanoTime();
                closing.stop();
                awaitActive(replicas, closing, TAKEOVER);
                record(takeovers, "close()", t0);
                for (Replica r : replicas) {
                    assertThat(r.printed("PIPELINE_FAILED")).as(r.tail()).isFalse();
                }
            } finally {
                workload.close();
                for (Replica r : replicas) {
                    r.kill();
                }
            }
            List<String> tables = SourceTables.replicated(rig, "accounts_audit", "accounts");
            ValidationReport report = rig.converge(tables);
            assertThat(report.clean())
                    .as("the target equals the source: " + report)
                    .isTrue();
            assertThat(HistoryCheck.differences(rig))
                    .as("one version per source change")
                    .isEmpty();
            assertThat(rig.failedTables()).isEmpty();
            Results.record(
                    "failover",
                    "3 instances of one pipeline under " + workload + ": takeover after "
                            + summary(takeovers) + "; " + tables.size()
                            + " tables validated row by row: clean; history: one"
                            + " version per change");
        }
    }

    /**
     * With default settings everywhere (failover timeout 10 s, the source's wal_sender_timeout 60 s, no socket
     * timeout on the target), the active instance is paused in the middle of a batch — its target transaction
     * open, holding the batch's locks — for three times the failover timeout. Another instance takes the source's
     * lease, ends the paused one's WAL sender and its target session, and commits batches while it is still
     * paused; resumed, the paused one commits nothing and stands by; the target equals the source.
     */
    @Test
    void aPausedActiveInstanceIsTakenOverWithoutWaitingForIt(@TempDir Path dir) throws Exception {
        try (Rig rig = new Rig(dir)) {
            rig.set("exclude", "public.accounts_audit");
            MixedWorkload.createTables(rig, 2_000, 500);
            MixedWorkload workload = MixedWorkload.start(rig, 2_000, 500, 2, false);
            List<Replica> replicas = new ArrayList<>();
            long took;
            try {
                for (int i = 0; i < 3; i++) {
                    replicas.add(rig.startReplica("replica-" + i));
                }
                Replica active = awaitActive(replicas, null, Duration.ofMinutes(3));
                assertThat(Replica.await(
                                Duration.ofMinutes(3), () -> active.state().equals("STREAMING")))
                        .as("streaming; " + active.tail())
                        .isTrue();
                CountDownLatch paused = new CountDownLatch(1);
                rig.onStatement(sql -> sql.startsWith("INSERT INTO \"zeroetl_stage"), () -> {
                    try {
                        active.signal("STOP");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    paused.countDown();
                });
                assertThat(paused.await(2, TimeUnit.MINUTES))
                        .as("a batch staged rows")
                        .isTrue();
                long t0 = System.nanoTime();
                long before = rig.position();
                Replica next = awaitActive(replicas, active, Duration.ofSeconds(30));
                assertThat(Replica.await(Duration.ofSeconds(30), () -> rig.position() > before))
                        .as("another instance commits batches while the active one is paused; " + next.tail())
                        .isTrue();
                took = (System.nanoTime() - t0) / 1_000_000;
                TimeUnit.MILLISECONDS.sleep(Math.max(0, 30_000 - took));
                active.signal("CONT");
                assertThat(Replica.await(TAKEOVER, () -> active.state().equals("STANDBY")))
                        .as("the resumed instance stands by; " + active.tail())
                        .isTrue();
                assertThat(next.active())
                        .as("the new active instance stays active")
                        .isTrue();
                for (Replica r : replicas) {
                    assertThat(r.printed("PIPELINE_FAILED")).as(r.tail()).isFalse();
                }
            } finally {
                workload.close();
                for (Replica r : replicas) {
                    r.kill();
                }
            }
            List<String> tables = SourceTables.replicated(rig, "accounts_audit");
            ValidationReport report = rig.converge(tables);
            assertThat(report.clean())
                    .as("the target equals the source: " + report)
                    .isTrue();
            Results.record(
                    "paused active instance",
                    "3 instances, default settings, the active one paused mid-batch for 30 s under " + workload
                            + ": another committed batches " + took + " ms after the pause (failover timeout 10 s);"
                            + " the resumed one stood by; " + tables.size() + " tables validated row by row: clean");
        }
    }

    /** Waits until exactly one replica other than {@code not} is active, and returns it. */
    private static Replica awaitActive(List<Replica> replicas, Replica not, Duration timeout) throws Exception {
        Replica[] found = new Replica[1];
        boolean ok = Replica.await(timeout, () -> {
            List<Replica> active = new ArrayList<>();
            for (Replica r : replicas) {
                if (r != not && r.active()) {
                    active.add(r);
                }
            }
            found[0] = active.size() == 1 ? active.get(0) : null;
            return found[0] != null;
        });
        if (!ok) {
            StringBuilder logs = new StringBuilder();
            for (Replica r : replicas) {
                logs.append(r.tail()).append("\n");
            }
            throw new AssertionError("no other instance took over within " + timeout + "; " + logs);
        }
        return found[0];
    }

    private static void record(Map<String, List<Long>> takeovers, String cause, long since) {
        takeovers.computeIfAbsent(cause, c -> new ArrayList<>()).add((System.nanoTime() - since) / 1_000_000);
    }

    /** Per cause: how many, and p50 / max in ms. */
    private static String summary(Map<String, List<Long>> takeovers) {
        StringBuilder out = new StringBuilder();
        takeovers.forEach((cause, times) -> {
            List<Long> sorted = new ArrayList<>(times);
            Collections.sort(sorted);
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(cause)
                    .append(" ×")
                    .append(sorted.size())
                    .append(" p50 ")
                    .append(sorted.get(sorted.size() / 2))
                    .append(" ms max ")
                    .append(sorted.get(sorted.size() - 1))
                    .append(" ms");
        });
        return out.toString();
    }
}

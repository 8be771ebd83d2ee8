package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ValidationReport;
import io.zeroetl.testing.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault-injecting proxy between the pipeline and each server cuts every connection, stalls all traffic
 * for 30 s, and slows it to 32 KB/s, under a concurrent mixed workload; the same pipeline JVM recovers by
 * itself (reconnecting with backoff) and the target converges to the source.
 */
class NetworkFaultIT {
    @Test
    void theSamePipelineRecoversFromDroppedStalledAndSlowConnectionsToEitherServer(@TempDir Path dir) throws Exception {
        int rounds = Scale.of(1, 5);
        List<String> faults = new ArrayList<>();
        try (Rig rig = new Rig(dir)) {
            MixedWorkload workload = rig.streamUnderWorkload();
            try {
                for (int round = 0; round < rounds; round++) {
                    for (FaultProxy proxy : List.of(rig.sourceProxy, rig.targetProxy)) {
                        String server = proxy == rig.sourceProxy ? "source" : "target";
                        int connections = proxy.connectionsAccepted();
                        proxy.dropConnections();
                        awaitReconnect(proxy, connections);
                        faults.add(server + " connections dropped");

                        proxy.stall(Duration.ofSeconds(30));
                        TimeUnit.SECONDS.sleep(32);
                        faults.add(server + " stalled 30 s");

                        proxy.slow(32 * 1024);
                        TimeUnit.SECONDS.sleep(10);
                        proxy.heal();
                        faults.add(server + " slowed to 32 KB/s for 10 s");
                        assertThat(rig.childAlive())
                                .as("the pipeline JVM survives " + faults.get(faults.size() - 1) + "; its output: "
                                        + rig.tail())
                                .isTrue();
                    }
                }
            } finally {
                workload.close();
            }
            ValidationReport report = rig.convergeInOneJvm();
            Results.record(
                    "network faults",
                    faults.size() + " faults (" + rounds + " round(s) of drop, 30 s stall and"
                            + " 32 KB/s for each server) under " + workload
                            + "; one pipeline JVM throughout, recovered by"
                            + " itself; " + report.tables().size() + " tables validated row by row: clean");
        }
    }

    private static void awaitReconnect(FaultProxy proxy, int before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (proxy.connectionsAccepted() <= before) {
            assertThat(System.nanoTime())
                    .as("the pipeline connects again after the drop")
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}

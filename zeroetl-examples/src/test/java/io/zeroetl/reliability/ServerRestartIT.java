package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.zeroetl.ValidationReport;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source PostgreSQL and the target's server are restarted (fast shutdown: every session, replication
 * included, is cut) mid-stream under a concurrent mixed workload; the same pipeline JVM reconnects by
 * itself and the target converges to the source.
 */
class ServerRestartIT {
    @Test
    void theSamePipelineRidesThroughRestartsOfTheSource(@TempDir Path dir) throws Exception {
        ridesThrough(dir, true, false);
    }

    @Test
    void theSamePipelineRidesThroughRestartsOfTheTarget(@TempDir Path dir) throws Exception {
        ridesThrough(dir, false, true);
    }

    private static void ridesThrough(Path dir, boolean sourceRestarts, boolean targetRestarts) throws Exception {
        int rounds = Scale.of(2, 10);
        try (Rig rig = new Rig(dir)) {
            MixedWorkload workload = rig.streamUnderWorkload();
            try {
                for (int round = 0; round < rounds; round++) {
                    TimeUnit.SECONDS.sleep(4);
                    if (sourceRestarts) {
                        rig.source.restart();
                    }
                    if (targetRestarts) {
                        rig.targetServer.restart();
                    }
                    assertThat(rig.childAlive())
                            .as("the pipeline JVM survives the restarts; its output: " + rig.tail())
                            .isTrue();
                }
            } finally {
                workload.close();
            }
            ValidationReport report = rig.convergeInOneJvm();
            Results.record(
                    "server restarts",
                    rounds + " restart(s) of the " + (sourceRestarts ? "source" : "target's server") + " under "
                            + workload + "; one pipeline JVM throughout; "
                            + report.tables().size()
                            + " tables validated row by row: clean");
        }
    }
}

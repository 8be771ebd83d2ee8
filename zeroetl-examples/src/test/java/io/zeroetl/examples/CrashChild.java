package io.zeroetl.examples;

import io.zeroetl.DeleteMode;
import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The pipeline process of {@link CrashRecoveryIT}: replicates public.orders until killed, or until
 * {@code exitAfter} is a file that exists (then it closes cleanly). An eighth argument {@code history}
 * keeps the table in history mode.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        PostgresSource source = PostgresSource.builder()
                .jdbcUrl(args[0])
                .user(args[1])
                .password(args[2])
                .build();
        RedshiftTarget target = RedshiftTarget.builder()
                .jdbcUrl(args[3])
                .user(args[4])
                .password(args[5])
                .ssl(false)
                .build();
        Path stop = Path.of(args[6]);
        boolean history = args.length > 7 && args[7].equals("history");
        try (Pipeline pipeline = ZeroEtl.from(source)
                .to(target)
                .tables("public.orders")
                .table("public.orders", t -> t.deleteMode(history ? DeleteMode.HISTORY : DeleteMode.HARD))
                .pipelineId("crash")
                .flushInterval(Duration.ofMillis(100))
                .batchSize(500)
                .start()) {
            System.out.println("STARTED " + pipeline.state());
            while (!Files.exists(stop)) {
                pipeline.awaitCaughtUp(Duration.ofMillis(200));
            }
        }
        source.close();
        System.out.println("STOPPED");
    }
}

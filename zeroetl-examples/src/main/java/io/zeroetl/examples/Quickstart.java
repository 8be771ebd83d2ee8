package io.zeroetl.examples;

import io.zeroetl.Pipeline;
import io.zeroetl.ZeroEtl;
import io.zeroetl.postgres.PostgresSource;
import io.zeroetl.redshift.RedshiftTarget;
import java.time.Duration;

/**
 * The README's quickstart, compiled by the build so it cannot rot; {@code ReadmeQuickstartTest} checks
 * that the README shows exactly this code.
 */
public final class Quickstart {
    private Quickstart() {}

    /** Replicates two tables until caught up, printing the status. */
    public static void run(String pw, String pw2) {
        // README-QUICKSTART-START
        try (Pipeline pipeline = ZeroEtl.from(PostgresSource.builder()
                        .jdbcUrl("jdbc:postgresql://db:5432/shop")
                        .user("replicator")
                        .password(pw)
                        .build())
                .to(RedshiftTarget.builder()
                        .jdbcUrl("jdbc:redshift://cluster:5439/dev")
                        .user("etl")
                        .password(pw2)
                        .schema("analytics")
                        .build())
                .tables("public.orders", "public.customers")
                .batchSize(10_000)
                .flushInterval(Duration.ofSeconds(1))
                .start()) {
            pipeline.awaitCaughtUp(Duration.ofSeconds(30));
            System.out.println(pipeline.status());
        }
        // README-QUICKSTART-END
    }
}

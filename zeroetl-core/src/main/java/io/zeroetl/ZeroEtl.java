package io.zeroetl;

import java.util.Objects;

/**
 * The entry point: {@code ZeroEtl.from(source).to(target).tables(...).start()}.
 *
 * <pre>{@code
 * try (Pipeline pipeline = ZeroEtl
 *         .from(PostgresSource.builder().jdbcUrl(url).user("replicator").password(pw).build())
 *         .to(RedshiftTarget.builder().jdbcUrl(rsUrl).user("etl").password(pw2).build())
 *         .tables("public.orders", "public.customers")
 *         .batchSize(10_000)
 *         .start()) {
 *     pipeline.awaitCaughtUp(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class ZeroEtl {
    private ZeroEtl() {}

    /**
     * Starts describing a pipeline that reads from {@code source}.
     *
     * @param source the source
     * @return the next step: the target
     */
    public static TargetStep from(Source source) {
        Objects.requireNonNull(source, "from: the source must not be null");
        return target -> new PipelineBuilder(source, Objects.requireNonNull(target, "to: the target must not be null"));
    }

    /**
     * Starts describing a validation of {@code target} against {@code source}; see
     * {@link ValidationBuilder}.
     *
     * @param source the source
     * @param target the target
     * @return this builder
     */
    public static ValidationBuilder validate(Source source, Target target) {
        return new ValidationBuilder(source, target);
    }

    /** The step after {@link #from(Source)}: where the changes go. */
    @FunctionalInterface
    public interface TargetStep {
        /**
         * Sends the changes to {@code target}; options follow.
         *
         * @param target the target
         * @return this builder
         */
        PipelineBuilder to(Target target);
    }
}

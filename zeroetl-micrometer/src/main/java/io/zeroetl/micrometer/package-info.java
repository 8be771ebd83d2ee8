/**
 * Micrometer meters for a zeroetl pipeline: {@link io.zeroetl.micrometer.ZeroEtlMetrics} is both the
 * {@code MeterBinder} a service binds to its registry and the {@code PipelineListener} it gives the pipeline.
 */
package io.zeroetl.micrometer;

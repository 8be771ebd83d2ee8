package io.zeroetl.redshift;

import io.zeroetl.TableId;
import io.zeroetl.Target;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.redshift.internal.ApplierSettings;
import io.zeroetl.redshift.internal.RedshiftApplier;
import io.zeroetl.redshift.internal.RedshiftDigests;
import io.zeroetl.spi.ChangeApplier;
import io.zeroetl.spi.Endpoint;
import io.zeroetl.spi.TargetDigests;
import io.zeroetl.spi.TypeMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An Amazon Redshift database as a zeroetl target. Tables are created on first sight (key declared and
 * used as DISTKEY and SORTKEY), changes are applied per batch through staging tables in one transaction
 * together with the pipeline's position in {@code zeroetl_state}, and columns added or dropped at the
 * source are added or dropped in the target. The session sets {@code enable_case_sensitive_identifier}
 * so names keep their case, as AWS zero-ETL requires.
 *
 * <pre>{@code
 * RedshiftTarget target = RedshiftTarget.builder()
 *         .jdbcUrl("jdbc:redshift://cluster:5439/dev")
 *         .user("etl")
 *         .password(System.getenv("REDSHIFT_PASSWORD"))
 *         .schema("analytics")
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows no password.
 */
public final class RedshiftTarget implements Target {
    private final Endpoint endpoint;
    private final String schema;
    /** Where zeroetl keeps its own tables unless told otherwise: a schema of its own. */
    public static final String DEFAULT_STATE_SCHEMA = "zeroetl";

    private final String stateSchema;
    private final String legacyStateSchema;
    private final TypeMapper typeMapper;
    private final ValuePolicy valuePolicy;
    private final Map<TableId, ValuePolicy> policies;
    private final StagingLoader stagingLoader;
    private final Map<TableId, Distribution> distributions;
    private final boolean lockTables;
    private final DroppedTables droppedTables;
    private final boolean requireCaseSensitiveIdentifiers;

    private RedshiftTarget(Builder b, Endpoint endpoint) {
        this.endpoint = endpoint;
        this.stagingLoader = b.stagingLoader;
        this.distributions = Map.copyOf(b.distributions);
        this.lockTables = b.lockTables;
        this.droppedTables = b.droppedTables;
        this.requireCaseSensitiveIdentifiers = b.requireCaseSensitiveIdentifiers;
        this.valuePolicy = b.valuePolicy;
        this.policies = Map.copyOf(b.policies);
        this.schema = b.schema;
        this.stateSchema = b.stateSchema != null ? b.stateSchema : DEFAULT_STATE_SCHEMA;
        this.legacyStateSchema = b.stateSchema != null ? null : b.schema != null ? b.schema : "public";
        this.typeMapper = b.typeMapper;
    }

    /**
     * A builder; jdbcUrl, user and password are required.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChangeApplier applier() {
        return new RedshiftApplier(endpoint.url(), endpoint.connectionProperties(), settings());
    }

    private ApplierSettings settings() {
        return new ApplierSettings(
                schema,
                stateSchema,
                typeMapper,
                valuePolicy,
                policies,
                stagingLoader,
                distributions,
                lockTables,
                droppedTables,
                requireCaseSensitiveIdentifiers,
                legacyStateSchema);
    }

    /** A validation reader on its own connection (see {@link io.zeroetl.ZeroEtl#validate}). */
    @Override
    public TargetDigests digests(String pipelineId) {
        return new RedshiftDigests(endpoint.url(), endpoint.connectionProperties(), settings(), pipelineId);
    }

    @Override
    public String toString() {
        return "RedshiftTarget[" + endpoint + (schema == null ? "" : ", schema " + schema) + "]";
    }

    /** Configures a {@link RedshiftTarget}. Not thread-safe. */
    public static final class Builder extends Endpoint.Options<Builder> {
        private String schema;
        private String stateSchema;
        private TypeMapper typeMapper = RedshiftTypeMapper.DEFAULT;
        private ValuePolicy valuePolicy = ValuePolicy.FAIL_TABLE;
        private final Map<TableId, ValuePolicy> policies = new HashMap<>();
        private StagingLoader stagingLoader = StagingLoader.multiRowInsert();
        private final Map<TableId, Distribution> distributions = new HashMap<>();
        private boolean lockTables;
        private boolean requireCaseSensitiveIdentifiers;
        private DroppedTables droppedTables = DroppedTables.KEEP;

        private Builder() {
            super("jdbc:redshift://", "jdbc:redshift://cluster:5439/dev");
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * How staging tables are loaded (default: multi-row INSERTs; see {@link #s3Staging(S3Staging)}).
         *
         * @param loader the loader
         * @return this builder
         */
        public Builder stagingLoader(StagingLoader loader) {
            this.stagingLoader = Objects.requireNonNull(loader, "stagingLoader");
            return this;
        }

        /**
         * Stage through files in S3 loaded by COPY, the way Redshift is built to be loaded: parts of a batch from
         * {@link S3Staging#threshold()} rows on, the initial copy, and values up to Redshift's own limits (SUPER
         * and VARBYTE up to 16 MB); smaller parts still go through INSERTs. Same as
         * {@code stagingLoader(StagingLoader.s3(s3))}.
         *
         * @param s3 the bucket, prefix and credentials
         * @return this builder
         */
        public Builder s3Staging(S3Staging s3) {
            return stagingLoader(StagingLoader.s3(Objects.requireNonNull(s3, "s3Staging")));
        }

        /**
         * The distribution style of the target table created for {@code table} (default KEY, or AUTO without a key).
         *
         * @param table the source table, {@code schema.table}
         * @param style the distribution style
         * @return this builder
         */
        public Builder distribution(String table, Distribution style) {
            Objects.requireNonNull(style, "distribution");
            try {
                distributions.put(TableId.parse(table), style);
            } catch (IllegalArgumentException e) {
                throw ZeroEtlException.configuration("distribution", e.getMessage());
            }
            return this;
        }

        /**
         * What a source DROP TABLE does to the target table (default {@link DroppedTables#KEEP}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder droppedTables(DroppedTables policy) {
            this.droppedTables = Objects.requireNonNull(policy, "droppedTables");
            return this;
        }

        /**
         * Whether a table whose target names are mixed-case fails when the cluster's other sessions cannot
         * address them (default false: a warning in the log). zeroetl's sessions turn
         * {@code enable_case_sensitive_identifier} on for themselves, but a BI tool's or an analyst's session
         * keeps the cluster's default, read at start; turn it on in the parameter group (as AWS zero-ETL
         * requires) or give such tables lower-case target names.
         *
         * @param require true to fail such tables
         * @return this builder
         */
        public Builder requireCaseSensitiveIdentifiers(boolean require) {
            this.requireCaseSensitiveIdentifiers = require;
            return this;
        }

        /**
         * Whether each batch first locks the target tables, in name order, as AWS advises against
         * serialization conflicts with other writers (default false). LOCK takes ACCESS EXCLUSIVE locks (r_LOCK):
         * analysts' SELECTs on those tables wait for each batch to commit, so leave this off unless other
         * writers' serialization conflicts (error 1023) keep failing batches.
         *
         * @param lock true to lock
         * @return this builder
         */
        public Builder lockTables(boolean lock) {
            this.lockTables = lock;
            return this;
        }

        /**
         * What to do with values Redshift cannot hold, for every table (default FAIL_TABLE).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder valuePolicy(ValuePolicy policy) {
            this.valuePolicy = Objects.requireNonNull(policy, "valuePolicy");
            return this;
        }

        /**
         * What to do with values Redshift cannot hold, for the source table {@code table} ({@code schema.table}).
         *
         * @param table the source table, {@code schema.table}
         * @param policy the policy
         * @return this builder
         */
        public Builder valuePolicy(String table, ValuePolicy policy) {
            Objects.requireNonNull(policy, "valuePolicy");
            try {
                policies.put(TableId.parse(table), policy);
            } catch (IllegalArgumentException e) {
                throw ZeroEtlException.configuration("valuePolicy", e.getMessage());
            }
            return this;
        }

        /**
         * Put every table in this schema (default: a schema named like the source table's).
         *
         * @param schema the target schema
         * @return this builder
         */
        public Builder schema(String schema) {
            this.schema = requireName(schema, "schema");
            return this;
        }

        /**
         * The schema of zeroetl's own tables ({@code zeroetl_state}, {@code zeroetl_table_state},
         * {@code zeroetl_errors}); default {@value RedshiftTarget#DEFAULT_STATE_SCHEMA}, a schema of their own so that
         * no replicated table can be one of them. A position that earlier versions kept in {@link #schema(String)}
         * (or {@code public}) is moved there on the first start.
         *
         * @param schema the schema
         * @return this builder
         */
        public Builder stateSchema(String schema) {
            this.stateSchema = requireName(schema, "stateSchema");
            return this;
        }

        /**
         * Replaces the type mapping (see {@link RedshiftTypeMapper} to delegate to the default).
         *
         * @param mapper the mapper
         * @return this builder
         */
        public Builder typeMapper(TypeMapper mapper) {
            this.typeMapper = Objects.requireNonNull(mapper, "typeMapper");
            return this;
        }

        /**
         * TLS to the cluster (the Redshift driver's {@code ssl} property; default the driver's, on).
         *
         * @param ssl false for a server without TLS, such as the emulator
         * @return this builder
         */
        public Builder ssl(boolean ssl) {
            return property("ssl", Boolean.toString(ssl));
        }

        /**
         * Checks the options and builds the target (no connection is made yet).
         *
         * @return the target
         */
        public RedshiftTarget build() {
            Endpoint endpoint = endpoint();
            return new RedshiftTarget(this, endpoint);
        }

        private static String requireName(String name, String option) {
            Objects.requireNonNull(name, option);
            if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 127) {
                throw ZeroEtlException.configuration(option, "must be 1 to 127 bytes");
            }
            return name;
        }
    }
}

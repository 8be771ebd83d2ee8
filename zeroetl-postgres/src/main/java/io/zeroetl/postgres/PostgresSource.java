package io.zeroetl.postgres;

import io.zeroetl.Source;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.change.TableSchema;
import io.zeroetl.postgres.internal.pgoutput.PgOutputDecoder;
import io.zeroetl.postgres.internal.replication.CatalogLookups;
import io.zeroetl.postgres.internal.replication.Connections;
import io.zeroetl.postgres.internal.replication.MetadataConnection;
import io.zeroetl.postgres.internal.replication.Partitions;
import io.zeroetl.postgres.internal.replication.PgWalReader;
import io.zeroetl.postgres.internal.types.PgTypes;
import io.zeroetl.postgres.internal.validation.PgDigests;
import io.zeroetl.spi.Endpoint;
import io.zeroetl.spi.SourceDigests;
import io.zeroetl.spi.WalReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PostgreSQL database as a zeroetl source. At start it checks the prerequisites (PostgreSQL 12+,
 * {@code wal_level = logical}, the REPLICATION privilege, SELECT on the tables, free slots and WAL
 * senders), creates the publication {@code zeroetl_<pipelineId>} for the selected tables and the
 * logical replication slot of the same name if missing, and streams with {@code pgoutput}.
 *
 * <pre>{@code
 * PostgresSource source = PostgresSource.builder()
 *         .jdbcUrl("jdbc:postgresql://db:5432/shop")
 *         .user("replicator")
 *         .password(System.getenv("PGPASSWORD"))
 *         .build();
 * }</pre>
 *
 * <p>Retire a pipeline with {@link #retire(String)}: an abandoned slot keeps the source's WAL forever.
 * Immutable and thread-safe; {@link #toString()} shows no password.
 */
public final class PostgresSource implements Source, AutoCloseable {
    private final Endpoint endpoint;
    private final String publication;
    private final MetadataConnection metadata;
    private final WalReader reader;
    private final Connections connections;
    private final PgTypes types;

    private PostgresSource(Builder b, Endpoint endpoint) {
        this.endpoint = endpoint;
        this.publication = b.publication;
        Connections connections =
                new Connections(endpoint.url(), endpoint.user(), endpoint.password(), endpoint.properties());
        this.connections = connections;
        this.metadata = new MetadataConnection(connections);
        CatalogLookups catalog = new CatalogLookups(metadata);
        this.types = new PgTypes(catalog::typeRow);
        AtomicLong rejected = new AtomicLong();
        this.reader = b.reader != null
                ? b.reader
                : new PgWalReader(
                        connections,
                        b.publication,
                        b.statusInterval,
                        metadata,
                        b.snapshotParallelism,
                        b.snapshotChunkBlocks,
                        b.ddlCapture,
                        b.heartbeatInterval,
                        types,
                        b.resyncWhenSlotLost,
                        pub -> new PgOutputDecoder(
                                types, catalog::primaryKey, catalog::ddlKey, this::describe, () -> pub, rejected),
                        rejected::get);
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
    public WalReader reader() {
        return reader;
    }

    /**
     * The ordinary and partitioned tables outside the system schemas (and zeroetl's own), partitions included:
     * a pattern selects a partition whether it existed at start or was created since.
     */
    @Override
    public List<TableId> listTables() {
        return metadata.call(c -> {
            List<TableId> out = new ArrayList<>();
            try (var s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT n.nspname, c.relname FROM pg_class c"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
                            + " AND n.nspname NOT IN ('information_schema', 'zeroetl') AND n.nspname NOT LIKE 'pg\\_%'"
                            + " ORDER BY 1, 2")) {
                while (rs.next()) {
                    out.add(TableId.of(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    /**
     * A partitioned table is replicated as one table (its partitions' rows as its own, PostgreSQL 13+): the
     * partitions among {@code tables} with their partitioned ancestors, so that a pipeline selecting both takes the
     * partitioned table alone.
     */
    @Override
    public Map<TableId, List<TableId>> partitionAncestors(Set<TableId> tables) {
        return metadata.call(c -> Partitions.ancestors(c, tables));
    }

    @Override
    public boolean describesTables() {
        return true;
    }

    @Override
    public Optional<TableSchema> describe(TableId table) {
        return metadata.call(c -> PgDigests.describe(c, types, table));
    }

    /** A validation snapshot reader on its own connections (see {@link io.zeroetl.ZeroEtl#validate}). */
    @Override
    public SourceDigests digests() {
        return new PgDigests(connections, types);
    }

    /**
     * Drops the replication slot and (if zeroetl created it) the publication of {@code pipelineId}, so
     * the source stops keeping WAL for it. The pipeline must be closed first.
     *
     * @param pipelineId the retired pipeline's id
     */
    public void retire(String pipelineId) {
        String slot = PgWalReader.slotName(pipelineId);
        metadata.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM" + " pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, slot);
                ps.executeQuery().close();
            }
            if (publication == null) {
                try (var s = c.createStatement()) {
                    s.execute("DROP PUBLICATION IF EXISTS \"" + slot + "\"");
                }
            }
            return null;
        });
    }

    /** Closes the source's own connection (pipelines using it close their streams themselves). */
    @Override
    public void close() {
        metadata.close();
    }

    @Override
    public String toString() {
        return "PostgresSource[" + endpoint + (publication == null ? "" : ", publication " + publication) + "]";
    }

    /** Configures a {@link PostgresSource}. Not thread-safe. */
    public static final class Builder extends Endpoint.Options<Builder> {
        private String publication;
        private Duration statusInterval = Duration.ofSeconds(10);
        private WalReader reader;
        private int snapshotParallelism =
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private long snapshotChunkBlocks = 4_096;
        private boolean ddlCapture = true;
        private Duration heartbeatInterval;
        private boolean resyncWhenSlotLost = true;

        private Builder() {
            super("jdbc:postgresql://", "jdbc:postgresql://db:5432/shop");
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * How many connections copy tables at once in the initial snapshot (default: cores, at most 4).
         *
         * @param connections the connections (1 to 64)
         * @return this builder
         */
        public Builder snapshotParallelism(int connections) {
            if (connections < 1 || connections > 64) {
                throw ZeroEtlException.configuration(
                        "snapshotParallelism", "must be between 1 and 64, got " + connections);
            }
            this.snapshotParallelism = connections;
            return this;
        }

        /**
         * How many 8 KB blocks (default 4,096: 32 MB) one copy task reads; a larger table is split into
         * block ranges copied in parallel (PostgreSQL 14 and later). The initial copy commits each group of
         * ranges (as many as {@link #snapshotParallelism}) as one target transaction, so a crash during the copy
         * costs at most one group again: smaller ranges lose less, larger ones commit less often.
         *
         * @param blocks blocks per copy task
         * @return this builder
         */
        public Builder snapshotChunkBlocks(long blocks) {
            if (blocks < 1) {
                throw ZeroEtlException.configuration("snapshotChunkBlocks", "must be at least 1, got " + blocks);
            }
            this.snapshotChunkBlocks = blocks;
            return this;
        }

        /**
         * Use this existing publication instead of creating {@code zeroetl_<pipelineId>}.
         *
         * @param name the publication's name
         * @return this builder
         */
        public Builder publication(String name) {
            this.publication = Objects.requireNonNull(name, "publication");
            return this;
        }

        /**
         * How often status updates go to the server; keep it well below wal_sender_timeout (default 10 s).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder statusInterval(Duration interval) {
            Objects.requireNonNull(interval, "statusInterval");
            if (interval.toMillis() < 10 || interval.compareTo(Duration.ofMinutes(5)) > 0) {
                throw ZeroEtlException.configuration(
                        "statusInterval", "must be between 10 ms and 5 minutes, got " + interval);
            }
            this.statusInterval = interval;
            return this;
        }

        /**
         * Whether to install the DDL event trigger (default true; needs a superuser, else a warning and the
         * SQL for a DBA in the README): schema changes then arrive where they happened in the stream, and a
         * column rename is told from a drop and an add.
         *
         * @param capture false to leave the source without the trigger
         * @return this builder
         */
        public Builder ddlCapture(boolean capture) {
            this.ddlCapture = capture;
            return this;
        }

        /**
         * Writes a heartbeat (a non-transactional logical message) this often while the stream is idle, so
         * the slot's position advances even on a database that writes nothing (default: off; RDS writes
         * its own every 5 minutes).
         *
         * @param interval the interval, at least 100 ms
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            Objects.requireNonNull(interval, "heartbeatInterval");
            if (interval.toMillis() < 100) {
                throw ZeroEtlException.configuration("heartbeatInterval", "must be at least 100 ms, got " + interval);
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * What to do when the pipeline's slot is gone while the target holds a position (a failover to a
         * standby that does not keep it, a DBA's drop): the changes since are lost at the source. True (the
         * default): warn and copy every table again; false: fail with what happened, so an operator decides.
         *
         * @param resync whether to copy the tables again
         * @return this builder
         */
        public Builder resyncWhenSlotLost(boolean resync) {
            this.resyncWhenSlotLost = resync;
            return this;
        }

        /**
         * The TLS mode of pgjdbc ({@code disable}, {@code require}, {@code verify-full}, ...).
         *
         * @param mode pgjdbc's {@code sslmode}
         * @return this builder
         */
        public Builder sslMode(String mode) {
            return property("sslmode", Objects.requireNonNull(mode, "sslMode"));
        }

        /**
         * Replaces the change stream reader.
         *
         * @param reader the reader
         * @return this builder
         */
        public Builder reader(WalReader reader) {
            this.reader = Objects.requireNonNull(reader, "reader");
            return this;
        }

        /**
         * Checks the options and builds the source (no connection is made yet).
         *
         * @return the source
         */
        public PostgresSource build() {
            Endpoint endpoint = endpoint();
            return new PostgresSource(this, endpoint);
        }
    }
}

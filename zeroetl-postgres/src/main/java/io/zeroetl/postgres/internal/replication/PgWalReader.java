package io.zeroetl.postgres.internal.replication;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.TableId;
import io.zeroetl.ZeroEtlException;
import io.zeroetl.postgres.internal.PgErrors;
import io.zeroetl.postgres.internal.ddl.DdlTrigger;
import io.zeroetl.postgres.internal.pgoutput.PgOutputDecoder;
import io.zeroetl.postgres.internal.snapshot.CopyPlan;
import io.zeroetl.postgres.internal.snapshot.CopyResumption;
import io.zeroetl.postgres.internal.snapshot.SnapshotStream;
import io.zeroetl.postgres.internal.types.PgTypes;
import io.zeroetl.postgres.internal.validation.PgDigests;
import io.zeroetl.spi.SourceLease;
import io.zeroetl.spi.StreamRequest;
import io.zeroetl.spi.WalReader;
import io.zeroetl.spi.WalStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the source's logical replication stream with pgjdbc, protocol v1, acknowledging only what the
 * engine says the target committed ({@code withAutomaticFlush(false)}).
 */
public final class PgWalReader implements WalReader {
    private static final Logger LOG = LoggerFactory.getLogger(PgWalReader.class);

    private final Connections connections;
    private final String publication;
    private final Duration statusInterval;
    /** The first version whose logical slots can be synchronized to a standby (failover slots). */
    static final int FAILOVER_SLOTS_VERSION = 170000;

    private final MetadataConnection metadata;
    private final boolean resyncWhenSlotLost;
    private final boolean ddlCapture;
    private final Duration heartbeatInterval;
    private final PgTypes types;
    private final CopySlots copySlots;

    /**
     * @param connections how to reach the source
     * @param publication the publication to use, or null for zeroetl's own ({@code zeroetl_<pipelineId>})
     * @param statusInterval how often status updates go to the server
     * @param metadata the shared regular connection
     * @param parallelism how many connections copy tables at once
     * @param blocksPerChunk how many 8 KB blocks one copy task reads
     * @param ddlCapture whether to install the DDL event trigger (when the user may)
     * @param heartbeatInterval how often to write a heartbeat message while idle, or null for never
     * @param types how the copy decodes column values
     * @param resyncWhenSlotLost whether a lost slot leads to copying the tables again (else a failure)
     * @param decoders a new decoder for a stream of a publication (each stream decodes with its own)
     * @param rejected how many messages the decoders refused as forged or damaged copies of zeroetl's own
     */
    private final Map<String, PgLease> leases = new ConcurrentHashMap<>();

    private final Function<String, PgOutputDecoder> decoders;
    private final LongSupplier rejected;
    private final SlotUsers slotUsers;
    /** What the last health check of the stream found. */
    private volatile List<String> warnings = List.of();

    public PgWalReader(
            Connections connections,
            String publication,
            Duration statusInterval,
            MetadataConnection metadata,
            int parallelism,
            long blocksPerChunk,
            boolean ddlCapture,
            Duration heartbeatInterval,
            PgTypes types,
            boolean resyncWhenSlotLost,
            Function<String, PgOutputDecoder> decoders,
            LongSupplier rejected) {
        this.decoders = decoders;
        this.rejected = rejected;
        this.slotUsers = new SlotUsers(metadata);
        this.types = types;
        this.resyncWhenSlotLost = resyncWhenSlotLost;
        this.heartbeatInterval = heartbeatInterval;
        this.ddlCapture = ddlCapture;
        this.connections = connections;
        this.publication = publication;
        this.statusInterval = statusInterval;
        this.metadata = metadata;
        this.copySlots = new CopySlots(connections, parallelism, blocksPerChunk, types);
    }

    @Override
    public SourceLease lease(String pipelineId, Duration failoverTimeout) {
        String slot = slotName(pipelineId);
        PgLease lease = new PgLease(connections, slot, failoverTimeout);
        leases.put(slot, lease);
        return lease;
    }

    /** The slot a pipeline uses. */
    /** Messages the decoder refused as forged or damaged copies of zeroetl's own (see {@link PgOutputDecoder}). */
    @Override
    public long rejectedMessages() {
        return rejected.getAsLong();
    }

    public static String slotName(String pipelineId) {
        return "zeroetl_" + pipelineId;
    }

    /** The key of the advisory lock the active instance of {@code pipelineId} holds as its lease. */
    public static long leaseKey(String pipelineId) {
        return PgLease.key(slotName(pipelineId));
    }

    @Override
    public WalStream open(StreamRequest request) {
        String slot = slotName(request.pipelineId());
        String pub = publication != null ? publication : slotName(request.pipelineId());
        boolean resuming = !request.resumeAfter().equals(Lsn.NONE);
        SourceSetup.Result prepared =
                metadata.call(c -> SourceSetup.prepare(c, slot, pub, publication == null, request.tables(), resuming));
        boolean captured = ddlCapture && metadata.call(c -> DdlTrigger.install(c, prepared.tables()));
        SourceSetup.Result setup = prepared.captured(
                captured, captured ? Set.of() : metadata.call(c -> Partitions.partitioned(c, prepared.tables())));
        if (setup.slotLost() != null) {
            return lostSlot(slot, pub, setup, request.resumeAfter());
        }
        if (!request.resumeAfter().equals(Lsn.NONE) && setup.slotExists()) {
            Map<TableId, String> progress = new TreeMap<>(request.copyProgress());
            progress.keySet().retainAll(setup.tables());
            CopyResumption resumption = progress.isEmpty()
                    ? null
                    : new CopyResumption(progress, metadata.call(c -> SourceSetup.confirmedFlush(c, slot)));
            PgWalStream stream = stream(
                    slot,
                    pub,
                    resumption == null ? request.resumeAfter() : resumption.start(request.resumeAfter()),
                    setup);
            if (resumption != null) {
                LOG.info("Resuming the copies of {} cut off before they finished", progress.keySet());
                stream.resume(resumption, () -> copySlots.resume(resumption, setup));
            }
            // dropped while the pipeline did not stream: said as a drop, so the table ends DROPPED
            stream.dropped(setup.gone());
            for (TableId table : setup.added()) {
                // newly selected: its existing rows were never copied
                LOG.info("{} joined the publication: copying it", table);
                stream.copyTable(table).ifPresent(reason -> stream.unavailable(table, reason));
            }
            return stream;
        }
        if (setup.slotExists()) {
            // the target holds nothing of this pipeline: start over with a slot whose snapshot we can copy
            LOG.info("Slot {} exists but the target has no position: recreating it for a consistent copy", slot);
            metadata.run(c -> {
                SourceSetup.dropSlot(c, slot);
                return null;
            });
        } else if (!request.resumeAfter().equals(Lsn.NONE)) {
            if (!resyncWhenSlotLost) {
                throw new ZeroEtlException(
                        ErrorCode.SOURCE_PREREQUISITE,
                        "The replication slot " + slot + " is gone"
                                + " while the target is at " + request.resumeAfter()
                                + " (a failover to a standby that did not"
                                + " keep it, or a drop): the changes since are lost at the source. Copy the tables again"
                                + " (start with resyncWhenSlotLost(true)) or restore the slot's history otherwise.");
            }
            LOG.warn(
                    "Slot {} is gone while the target is at {}: the changes since are lost at the source, so the"
                            + " tables are copied again",
                    slot,
                    request.resumeAfter());
        }
        return snapshot(slot, pub, setup);
    }

    /**
     * The source invalidated the slot (WAL it needed was removed): the changes since the target's position are
     * lost there, as with a slot that is gone. Unless told not to, the slot is dropped and the tables copied
     * again; never a retry loop on a slot that cannot stream.
     */
    private WalStream lostSlot(String slot, String pub, SourceSetup.Result setup, Lsn position) {
        String why = "The replication slot " + slot + " was invalidated by the source (" + setup.slotLost() + ")";
        if (!resyncWhenSlotLost && !position.equals(Lsn.NONE)) {
            throw new ZeroEtlException(
                    ErrorCode.SOURCE_PREREQUISITE,
                    why + " while the target is at " + position + ": the changes since are lost at the source. Drop"
                            + " the slot (SELECT pg_drop_replication_slot('" + slot + "')) and copy the tables again"
                            + " (start with resyncWhenSlotLost(true)); keep the pipeline's lag under"
                            + " max_slot_wal_keep_size");
        }
        LOG.warn("{}: the changes since {} are lost at the source, so the tables are copied again", why, position);
        metadata.run(c -> {
            SourceSetup.dropSlot(c, slot);
            return null;
        });
        return snapshot(slot, pub, setup);
    }

    private WalStream snapshot(String slot, String pub, SourceSetup.Result setup) {
        boolean failover = setup.serverVersion() >= FAILOVER_SLOTS_VERSION;
        CopySlots.Exported slotCreated = copySlots.create(slot, false, failover);
        if (!failover) {
            slotUsers.noteNoFailover(slot, setup.serverVersion());
        }
        LOG.info(
                "Created slot {} at {}; copying {} tables in snapshot {}",
                slot,
                slotCreated.point(),
                setup.tables().size(),
                slotCreated.snapshot());
        // the initial copy commits in parts, so a crash resumes it after the last committed part
        CopyPlan plan =
                copySlots.plan(slotCreated, List.copyOf(setup.tables()), setup).committedInParts();
        return new SnapshotStream(
                plan, () -> stream(slot, pub, slotCreated.point(), setup), unavailable(setup), setup.notes());
    }

    private static Map<TableId, String> unavailable(SourceSetup.Result setup) {
        Map<TableId, String> unavailable = new TreeMap<>(setup.unavailable());
        setup.gone()
                .forEach(t -> unavailable.putIfAbsent(
                        t, "it no longer exists at the source (dropped while the pipeline did not stream)"));
        return unavailable;
    }

    private PgWalStream stream(String slot, String pub, Lsn after, SourceSetup.Result setup) {
        try {
            return startStream(slot, pub, after, setup);
        } catch (RetriableException e) {
            PgLease lease = leases.get(slot);
            if (e.code() != ErrorCode.RESOURCE_BUSY || lease == null || !lease.held() || !slotUsers.endStale(slot)) {
                throw e;
            }
            return startStream(slot, pub, after, setup);
        }
    }

    private PgWalStream startStream(String slot, String pub, Lsn after, SourceSetup.Result setup) {
        Connection replication = null;
        // a decoder of its own: what another stream (another pipeline on this source, or the last stream) said of
        // relations and transactions in progress does not carry over
        PgOutputDecoder decoder = decoders.apply(pub);
        try {
            replication = connections.replication(setup.sqlAscii());
            PGReplicationStream stream = replication
                    .unwrap(PGConnection.class)
                    .getReplicationAPI()
                    .replicationStream()
                    .logical()
                    .withSlotName(slot)
                    .withStartPosition(LogSequenceNumber.valueOf(after.value()))
                    .withSlotOption("proto_version", setup.serverVersion() >= 140000 ? "2" : "1")
                    .withSlotOption("streaming", setup.serverVersion() >= 140000 ? "true" : "false")
                    .withSlotOption("publication_names", pub)
                    .withSlotOption("messages", "true")
                    .withStatusInterval(Math.toIntExact(statusInterval.toMillis()), TimeUnit.MILLISECONDS)
                    .withAutomaticFlush(false)
                    .start();
            LOG.info("Streaming slot {} (publication {}) after {}", slot, pub, after);
            SourceHealth health = new SourceHealth(
                    metadata,
                    slot,
                    pub,
                    setup.captured(),
                    statusInterval,
                    table -> metadata.call(c -> PgDigests.describe(c, types, table)),
                    found -> warnings = found);
            PgWalStream opened = new PgWalStream(
                    replication,
                    stream,
                    setup.unavailable(),
                    setup.notes(),
                    this::heartbeat,
                    heartbeatInterval,
                    table -> metadata.call(c -> Admission.admit(c, pub, publication == null, table)),
                    table -> copySlots.copy(table, setup),
                    health,
                    setup.tables(),
                    after,
                    decoder);
            // a partitioned table's changes come under its partitions: the decoder gives them to the table
            decoder.routePartitions(
                    Partitions.catalog(metadata),
                    metadata.call(c -> Partitions.partitionedByOid(c, setup.tables())),
                    metadata.call(c -> Partitions.partitionsOf(c, setup.tables())));
            return opened;
        } catch (SQLException e) {
            closeQuietly(replication);
            if ("55006".equals(e.getSQLState())) {
                throw new RetriableException(
                        ErrorCode.RESOURCE_BUSY,
                        "The replication slot " + slot + " is in use by"
                                + " another connection" + slotUsers.describe(slot)
                                + ": another pipeline with this pipelineId is most"
                                + " likely running, and a pipeline id streams from one place at a time. Stop the other, or"
                                + " give this pipeline its own pipelineId (with its own target tables). If that pipeline"
                                + " just stopped, its connection may still be closing; retrying",
                        e);
            }
            throw PgErrors.classify("starting replication from slot " + slot, e);
        }
    }

    /** A non-transactional logical message: moves the source's WAL so an idle slot's position advances. */
    private void heartbeat() {
        try {
            metadata.call(c -> SourceSetup.single(
                    c, "SELECT pg_logical_emit_message(false, '" + PgOutputDecoder.HEARTBEAT_PREFIX + "', '')::text"));
        } catch (RuntimeException e) {
            LOG.debug("heartbeat failed: {}", e.toString());
        }
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public Lsn currentPosition() {
        return Lsn.parse(metadata.call(c -> SourceSetup.single(c, "SELECT pg_current_wal_lsn()::text")));
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a failed replication connection", e);
            }
        }
    }
}

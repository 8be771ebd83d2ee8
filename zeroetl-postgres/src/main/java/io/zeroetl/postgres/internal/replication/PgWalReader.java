package io.zeroetl.postgres.internal.replication;

import io.zeroetl.ErrorCode;
import io.zeroetl.Lsn;
import io.zeroetl.RetriableException;
import io.zeroetl.spi.SqlErrors;
import io.zeroetl.spi.StreamRequest;
import io.zeroetl.spi.WalReader;
import io.zeroetl.spi.WalStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
    private final MetadataConnection metadata;

    /**
     * @param connections how to reach the source
     * @param publication the publication to use, or null for zeroetl's own ({@code zeroetl_<pipelineId>})
     * @param statusInterval how often status updates go to the server
     * @param metadata the shared regular connection
     */
    public PgWalReader(Connections connections, String publication, Duration statusInterval,
                       MetadataConnection metadata) {
        this.connections = connections;
        this.publication = publication;
        this.statusInterval = statusInterval;
        this.metadata = metadata;
    }

    /** The slot a pipeline uses. */
    public static String slotName(String pipelineId) {
        return "zeroetl_" + pipelineId;
    }

    @Override
    public WalStream open(StreamRequest request) {
        String slot = slotName(request.pipelineId());
        String pub = publication != null ? publication : slotName(request.pipelineId());
        metadata.run(c -> SourceSetup.prepare(c, slot, pub, publication == null, request.tables()));
        Connection replication = null;
        try {
            replication = connections.replication();
            PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream().logical()
                    .withSlotName(slot)
                    .withStartPosition(request.resumeAfter().equals(Lsn.NONE) ? LogSequenceNumber.INVALID_LSN
                            : LogSequenceNumber.valueOf(request.resumeAfter().value()))
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", pub)
                    .withSlotOption("messages", "true")
                    .withStatusInterval(Math.toIntExact(statusInterval.toMillis()), TimeUnit.MILLISECONDS)
                    .withAutomaticFlush(false)
                    .start();
            LOG.info("Streaming slot {} (publication {}) after {}", slot, pub, request.resumeAfter());
            return new PgWalStream(replication, stream);
        } catch (SQLException e) {
            closeQuietly(replication);
            if ("55006".equals(e.getSQLState())) {
                throw new RetriableException(ErrorCode.RESOURCE_BUSY, "The replication slot " + slot + " is in use by"
                        + " another connection (an earlier one may still be closing); retrying", e);
            }
            throw SqlErrors.classify("starting replication from slot " + slot, e);
        }
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

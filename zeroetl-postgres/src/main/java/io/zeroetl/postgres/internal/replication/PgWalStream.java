package io.zeroetl.postgres.internal.replication;

import io.zeroetl.Lsn;
import io.zeroetl.TableId;
import io.zeroetl.spi.RawMessage;
import io.zeroetl.spi.SqlErrors;
import io.zeroetl.spi.WalStream;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open replication stream. When no data is pending it reports the server's position (learned from
 * keepalives) as progress, which the engine may acknowledge when nothing is in flight.
 */
final class PgWalStream implements WalStream {
    private static final Logger LOG = LoggerFactory.getLogger(PgWalStream.class);
    private static final long MIN_FORCED_UPDATE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Connection connection;
    private final PGReplicationStream stream;
    private Lsn lastData = Lsn.NONE;
    private Lsn lastProgress = Lsn.NONE;
    private long lastForcedUpdate;

    private final Map<TableId, String> unavailable;
    private final Runnable heartbeat;
    private final long heartbeatNanos;
    private long lastHeartbeat = System.nanoTime();

    PgWalStream(Connection connection, PGReplicationStream stream, Map<TableId, String> unavailable,
                Runnable heartbeat, Duration heartbeatInterval) {
        this.heartbeat = heartbeat;
        this.heartbeatNanos = heartbeatInterval == null ? Long.MAX_VALUE : heartbeatInterval.toNanos();
        this.connection = connection;
        this.stream = stream;
        this.unavailable = Map.copyOf(unavailable);
    }

    @Override
    public Map<TableId, String> unavailableTables() {
        return unavailable;
    }

    @Override
    public RawMessage read(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int idle = 0;
        try {
            while (true) {
                ByteBuffer message = stream.readPending();
                Lsn received = Lsn.of(stream.getLastReceiveLSN().asLong());
                if (message != null) {
                    lastData = received;
                    return RawMessage.data(received, received, message);
                }
                // caught up: everything before the last position heard of (data or keepalive) was delivered
                if (received.isAfter(lastProgress) && !received.isBefore(lastData)) {
                    lastProgress = received;
                    return RawMessage.progress(received);
                }
                if (System.nanoTime() - lastHeartbeat >= heartbeatNanos) {
                    lastHeartbeat = System.nanoTime();
                    heartbeat.run();
                }
                if (System.nanoTime() >= deadline) {
                    return null;
                }
                idle++;
                TimeUnit.MICROSECONDS.sleep(idle < 10 ? 100 : 2000);
            }
        } catch (SQLException e) {
            throw SqlErrors.classify("reading the replication stream", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void acknowledge(Lsn durable) {
        LogSequenceNumber lsn = LogSequenceNumber.valueOf(durable.value());
        stream.setFlushedLSN(lsn);
        stream.setAppliedLSN(lsn);
        long now = System.nanoTime();
        if (now - lastForcedUpdate >= MIN_FORCED_UPDATE_NANOS) {
            lastForcedUpdate = now;
            try {
                stream.forceUpdateStatus();
            } catch (SQLException e) {
                throw SqlErrors.classify("acknowledging to the source", e);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (!stream.isClosed()) {
                stream.forceUpdateStatus();
                stream.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing the replication stream", e);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the replication connection", e);
        }
    }
}

package io.zeroetl.postgres.internal.pgoutput;

import io.zeroetl.Lsn;
import io.zeroetl.change.BeginEvent;
import io.zeroetl.change.ChangeEvent;
import io.zeroetl.change.CommitEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Protocol version 2's in-progress transactions: between Stream Start and Stream Stop each change carries its
 * (sub)transaction id and is kept ({@link StreamedTransaction}: in memory, then on disk); a Stream Abort drops a
 * transaction or one subtransaction's changes; a Stream Commit hands on the Begin, then (one kept message per
 * {@link #replayNext}) the changes, then the Commit — so a transaction of any size passes with one message in
 * memory at a time.
 */
final class StreamedTransactions {
    private final Map<Long, StreamedTransaction> open = new HashMap<>();
    private long segmentXid = -1;
    private StreamedTransaction replaying;
    private CommitEvent replayEnd;

    /**
     * Takes {@code b} when it belongs to a streamed transaction (Stream Start, Stop, Commit or Abort, or a change
     * inside a segment); a Stream Commit's Begin goes to {@code out}. False for any other message.
     */
    boolean take(ByteBuffer b, Consumer<ChangeEvent> out) {
        byte type = b.get(b.position());
        switch (type) {
            case 'S' -> {
                b.get();
                segmentXid = Integer.toUnsignedLong(b.getInt());
                open.computeIfAbsent(segmentXid, x -> new StreamedTransaction());
            }
            case 'E' -> segmentXid = -1;
            case 'c' -> commit(b, out);
            case 'A' -> abort(b);
            default -> {
                if (segmentXid < 0 || type == 'B' || type == 'C' || type == 'O') {
                    return false;
                }
                // inside a segment a change carries its (sub)transaction id after the type byte: kept with it. A
                // streamed Relation is decoded at replay: applied now it would change how interleaved ordinary
                // transactions decode before this one commits
                b.get();
                long xid = Integer.toUnsignedLong(b.getInt());
                byte[] rest = new byte[b.remaining() + 1];
                rest[0] = type;
                b.get(rest, 1, rest.length - 1);
                open.get(segmentXid).add(xid, rest);
            }
        }
        return true;
    }

    private void commit(ByteBuffer b, Consumer<ChangeEvent> out) {
        b.get();
        long xid = Integer.toUnsignedLong(b.getInt());
        b.get();
        long commitLsn = b.getLong();
        long endLsn = b.getLong();
        Instant time = Wire.timestamp(b.getLong());
        StreamedTransaction tx = open.remove(xid);
        replaying = tx != null ? tx : new StreamedTransaction();
        replaying.startReplay();
        replayEnd = new CommitEvent(Lsn.of(commitLsn), Lsn.of(endLsn), time);
        out.accept(new BeginEvent(xid, Lsn.of(commitLsn), time));
    }

    private void abort(ByteBuffer b) {
        b.get();
        long xid = Integer.toUnsignedLong(b.getInt());
        long subxid = Integer.toUnsignedLong(b.getInt());
        StreamedTransaction tx = open.get(xid);
        if (tx == null) {
            return;
        }
        if (xid == subxid) {
            open.remove(xid).close();
        } else {
            tx.abortSubtransaction(subxid);
        }
    }

    /** Whether a Stream Start came and its Stream Stop has not. */
    boolean inSegment() {
        return segmentXid != -1;
    }

    /** Whether a committed transaction's changes are being handed on. */
    boolean replaying() {
        return replaying != null;
    }

    /** The next kept change goes to {@code change}; at the end, the Commit goes to {@code out}. */
    void replayNext(Consumer<ByteBuffer> change, Consumer<ChangeEvent> out) {
        byte[] message = replaying.next();
        if (message != null) {
            change.accept(ByteBuffer.wrap(message));
            return;
        }
        replaying.close();
        replaying = null;
        out.accept(replayEnd);
    }

    /** Forgets every kept transaction (a new stream opens). */
    void reset() {
        if (replaying != null) {
            replaying.close();
            replaying = null;
        }
        open.values().forEach(StreamedTransaction::close);
        open.clear();
        segmentXid = -1;
    }
}

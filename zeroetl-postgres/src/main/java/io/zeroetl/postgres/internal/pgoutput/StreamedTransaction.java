package io.zeroetl.postgres.internal.pgoutput;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The messages of one in-progress transaction that PostgreSQL streams in chunks (protocol v2), kept until
 * its Stream Commit: in memory up to a limit, then in a temporary file, so a transaction of any size
 * costs bounded memory. Each message keeps the (sub)transaction id it came with, so a subtransaction's
 * Stream Abort drops just its messages.
 */
final class StreamedTransaction implements AutoCloseable {
    private static final int MEMORY_LIMIT = 1 << 20;

    private final ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private DataOutputStream out = new DataOutputStream(memory);
    private Path file;
    private final Set<Long> aborted = new HashSet<>();
    private long messages;
    private DataInputStream replay;

    /** Keeps one message (its bytes from the type byte on, with the xid prefix removed). */
    void add(long xid, byte[] message) {
        try {
            out.writeLong(xid);
            out.writeInt(message.length);
            out.write(message);
            messages++;
            if (file == null && memory.size() > MEMORY_LIMIT) {
                file = Files.createTempFile("zeroetl-stream-", ".bin");
                file.toFile().deleteOnExit();
                DataOutputStream disk =
                        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
                memory.writeTo(disk);
                memory.reset();
                out = disk;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not spill a streamed transaction to disk", e);
        }
    }

    /** A subtransaction rolled back: its messages are skipped at replay. */
    void abortSubtransaction(long subxid) {
        aborted.add(subxid);
    }

    long messages() {
        return messages;
    }

    /**
     * Starts reading the kept messages back, in order: each {@link #next()} reads one from memory or the file,
     * so replaying a transaction of any size costs one message of memory at a time.
     */
    void startReplay() {
        try {
            out.flush();
            InputStream raw =
                    file != null ? Files.newInputStream(file) : new ByteArrayInputStream(memory.toByteArray());
            replay = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read a spilled streamed transaction", e);
        }
    }

    /** {@return the next kept message of a replay (aborted subtransactions' skipped), or null at the end} */
    byte[] next() {
        try {
            while (true) {
                long xid;
                try {
                    xid = replay.readLong();
                } catch (EOFException end) {
                    return null;
                }
                byte[] message = new byte[replay.readInt()];
                replay.readFully(message);
                if (!aborted.contains(xid)) {
                    return message;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read a spilled streamed transaction", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            if (replay != null) {
                replay.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.zeroetl.testing.internal.redshift;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A COPY the proxy sent to PostgreSQL as {@code COPY ... FROM 'file'}: what it must remember to map PostgreSQL's
 * error back and to remove the file once the statement is answered.
 *
 * <p>The file is a named pipe where the system has them: the records are converted on a thread of their own while
 * PostgreSQL loads what is converted so far, as a cluster's slices parse and store at once, instead of one after
 * the other. A COPY that must not complete (a record failed it, or its session ended while it loaded) ends the
 * pipe with a NUL byte, which PostgreSQL's COPY refuses wherever it falls (no text holds one), so it loads
 * nothing; the proxy then answers with {@link #failure()}, Redshift's message for it.
 * Elsewhere the file is written whole before the statement is sent.
 */
final class PendingCopy {
    /** Writes a COPY's records to {@code out}; throws a {@link Rejected} when the COPY fails. */
    @FunctionalInterface
    interface Fill {
        void into(Writer out) throws IOException;
    }

    private final int copyId;
    private final CopyLoads.Target target;
    private final Path file;
    private final String firstUrl;
    /** The writing of a named pipe; null for a file written whole. */
    private CompletableFuture<Void> writer;

    private volatile Rejected failure;
    private volatile boolean cancelled;
    /** Whether the writer has the pipe open (PostgreSQL opened it, or the release in answered() did). */
    private volatile boolean opened;

    private PendingCopy(int copyId, CopyLoads.Target target, Path file, String firstUrl) {
        this.copyId = copyId;
        this.target = target;
        this.file = file;
        this.firstUrl = firstUrl;
    }

    /** A COPY whose file {@code file} is written whole already. */
    static PendingCopy written(int copyId, CopyLoads.Target target, Path file, String firstUrl) {
        return new PendingCopy(copyId, target, file, firstUrl);
    }

    /**
     * A COPY whose records {@code fill} writes into the named pipe {@code fifo} while PostgreSQL reads it; the
     * writing starts now on {@code writers} and waits for PostgreSQL to open the pipe.
     */
    static PendingCopy streamed(
            int copyId, CopyLoads.Target target, Path fifo, String firstUrl, Fill fill, Executor writers) {
        PendingCopy p = new PendingCopy(copyId, target, fifo, firstUrl);
        p.writer = CompletableFuture.runAsync(() -> p.stream(fill), writers);
        return p;
    }

    /** A named pipe for COPY {@code copyId} in {@code dir}, readable by the server; null where none can be made. */
    static Path fifo(Path dir, int copyId) {
        Path fifo = dir.resolve("copy-" + copyId + ".pipe");
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "644", fifo.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? fifo : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void stream(Fill fill) {
        Sink sink = null;
        try {
            // blocks until PostgreSQL opens the pipe to read it (or answered() opens it to end this thread)
            sink = new Sink(new FileOutputStream(file.toFile()));
            opened = true;
            Writer out = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16);
            try {
                if (!cancelled) {
                    fill.into(out);
                    out.flush();
                }
            } catch (Rejected r) {
                if (!sink.broken && !cancelled) {
                    failure = r;
                }
            }
            if ((failure != null || cancelled) && !sink.broken) {
                // PostgreSQL must fail too, and load nothing
                sink.poison();
            }
        } catch (IOException | RuntimeException e) {
            // PostgreSQL stopped reading: its own error answers the COPY
        } finally {
            if (sink != null) {
                try {
                    sink.close();
                } catch (IOException e) {
                    // the reader is gone
                }
            }
        }
    }

    int copyId() {
        return copyId;
    }

    CopyLoads.Target target() {
        return target;
    }

    Path file() {
        return file;
    }

    String firstUrl() {
        return firstUrl;
    }

    /**
     * {@return why the COPY failed while its records were converted (its load errors logged already), or null when
     * PostgreSQL's error is the answer} Called once PostgreSQL answered, so the writing has ended.
     */
    Rejected failure() {
        if (writer != null) {
            awaitWriter();
        }
        return failure;
    }

    /**
     * The statement that loads it has been answered, or its session ended: its writing ends (a COPY still loading
     * is made to fail), its file goes.
     */
    void answered() {
        if (writer == null || writer.isDone()) {
            CopyLoads.delete(file);
            return;
        }
        cancelled = true;
        if (opened) {
            // a reader has it: PostgreSQL gets the NUL, or went away and the writer's next write fails
            awaitWriter();
            CopyLoads.delete(file);
            return;
        }
        // nobody opened it: opening it to read and write never blocks (Linux) and lets the writer's open return;
        // the name goes before this reader does, so a statement still to open it finds none instead of waiting
        RandomAccessFile release = null;
        try {
            release = new RandomAccessFile(file.toFile(), "rw");
            awaitWriter();
        } catch (IOException e) {
            // no pipe to open: nobody can wait on it
        } finally {
            CopyLoads.delete(file);
            if (release != null) {
                try {
                    release.close();
                } catch (IOException e) {
                    // closed with the name gone
                }
            }
        }
    }

    private void awaitWriter() {
        try {
            writer.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the writing records its outcome itself; a writer still blocked is a daemon thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Statements that will not be answered now (the session ended): their writing ends, their files go. */
    static void unanswered(Queue<PendingCopy> copies) {
        PendingCopy p;
        while ((p = copies.poll()) != null) {
            p.answered();
        }
    }

    /** The pipe's writing end: remembers that the reader went away, and stops once the COPY is answered. */
    private final class Sink extends FilterOutputStream {
        private volatile boolean broken;

        Sink(OutputStream out) {
            super(out);
        }

        /** Writes the byte no COPY text may hold, so that PostgreSQL refuses what it read. */
        void poison() {
            try {
                out.write(0);
                out.flush();
            } catch (IOException e) {
                broken = true;
            }
        }

        @Override
        public void write(byte[] bytes, int from, int length) throws IOException {
            if (cancelled) {
                throw new IOException("the COPY was answered");
            }
            try {
                out.write(bytes, from, length);
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}

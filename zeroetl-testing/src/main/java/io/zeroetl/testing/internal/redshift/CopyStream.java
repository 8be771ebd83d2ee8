package io.zeroetl.testing.internal.redshift;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A COPY's records written into a named pipe that PostgreSQL's {@code COPY ... FROM 'pipe'} reads while they
 * are converted, so that reading S3 and loading run side by side as on a cluster (rather than one after the
 * other through a whole file). A record that fails the COPY cannot stop what PostgreSQL already read: the
 * stream then ends with a line PostgreSQL refuses (an unterminated quote), which fails the statement and
 * with it everything it loaded, and {@link #failure()} says what to answer instead of PostgreSQL's error.
 * A statement that ends without opening the pipe (refused before its file was read), or a session that ends
 * first, releases the writer without leaving either side waiting for the other.
 */
final class CopyStream {
    private static final Logger LOG = LoggerFactory.getLogger(CopyStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Writers' threads, kept a while for the next COPY; named as the emulator's other threads. */
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "redshift-emulator-copy-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** Writes a COPY's records; throws a {@link Rejected} (its load errors logged already) when the COPY fails. */
    @FunctionalInterface
    interface Fill {
        void write(Writer out) throws IOException;
    }

    /** PostgreSQL stopped reading (it failed the statement on its own): nothing more is written. */
    private static final class Gone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Gone(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private enum State {
        NEW,
        OPENING,
        OPEN,
        DONE,
        CANCELLED
    }

    private final Path pipe;
    private final Object lock = new Object();
    private State state = State.NEW;
    private volatile Rejected failure;

    private CopyStream(Path pipe) {
        this.pipe = pipe;
    }

    /**
     * Makes a named pipe at {@code path}, readable by the database server's user; {@return whether it could}
     * (without {@code mkfifo}, or with the system property {@code zeroetl.emulator.copyPipe} false, the COPY is
     * prepared as a whole file first).
     */
    static boolean makePipe(Path path) {
        if (!Boolean.parseBoolean(System.getProperty("zeroetl.emulator.copyPipe", "true"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "644", path.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts writing {@code fill}'s records into {@code pipe} on a thread of its own; {@code done} runs after. */
    static CopyStream start(Path pipe, Fill fill, Runnable done) {
        CopyStream stream = new CopyStream(pipe);
        WRITERS.execute(() -> stream.run(fill, done));
        return stream;
    }

    /** Why the COPY failed, when the stream failed it; null while it has not. */
    Rejected failure() {
        return failure;
    }

    private void run(Fill fill, Runnable done) {
        try {
            synchronized (lock) {
                if (state == State.CANCELLED) {
                    return;
                }
                state = State.OPENING;
            }
            // blocks until PostgreSQL opens the pipe to read it (or release() does); never creates a file where
            // release() took the pipe away
            try (OutputStream pipeOut = Files.newOutputStream(pipe, StandardOpenOption.WRITE)) {
                synchronized (lock) {
                    state = State.OPEN;
                }
                Writer out = new BufferedWriter(
                        new OutputStreamWriter(new Guarded(pipeOut), StandardCharsets.UTF_8), 1 << 16);
                try {
                    fill.write(out);
                    out.flush();
                } catch (Gone gone) {
                    LOG.trace("PostgreSQL stopped reading {}", pipe, gone);
                } catch (IOException | RuntimeException e) {
                    failure = e instanceof Rejected r
                            ? r
                            : new Rejected(Rejected.INTERNAL, "the emulator could not prepare the load: " + e);
                    poison(out);
                }
            }
        } catch (IOException e) {
            LOG.debug("The COPY's pipe {} could not be written: {}", pipe, e.toString());
        } finally {
            synchronized (lock) {
                state = State.DONE;
            }
            done.run();
            CopyLoads.delete(pipe);
        }
    }

    /** Ends the records with a line PostgreSQL's CSV reader refuses, so the statement fails. */
    private static void poison(Writer out) {
        try {
            out.write('"');
            out.flush();
        } catch (IOException | Gone e) {
            // PostgreSQL stopped reading already: the statement fails without it
        }
    }

    /**
     * The statement that was to read the pipe has been answered, or its session ended: a writer still waiting
     * for a reader is let go (the statement was refused before it opened its file), one not yet started never
     * opens it, and the pipe's name goes.
     */
    void release() {
        synchronized (lock) {
            if (state == State.NEW) {
                state = State.CANCELLED;
            }
            if ((state == State.CANCELLED || state == State.OPENING) && Files.exists(pipe)) {
                // opened for reading and writing (which on Linux never waits), the pipe lets through a writer
                // blocked opening it and a server that opened it meanwhile; the name goes before this end
                // closes, so nothing opens it later, and then neither side is left waiting for the other
                try {
                    RandomAccessFile both = new RandomAccessFile(pipe.toFile(), "rw");
                    CopyLoads.delete(pipe);
                    both.close();
                } catch (IOException e) {
                    LOG.debug("Could not release the writer of {}: {}", pipe, e.toString());
                }
            }
        }
        CopyLoads.delete(pipe);
    }

    /** The pipe's stream, its failures (PostgreSQL closed its end) told apart from the records' own. */
    private static final class Guarded extends FilterOutputStream {
        Guarded(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new Gone(e);
            }
        }

        @Override
        public void write(int b) {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new Gone(e);
            }
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new Gone(e);
            }
        }
    }
}

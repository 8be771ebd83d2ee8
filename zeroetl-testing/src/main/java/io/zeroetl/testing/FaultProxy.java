package io.zeroetl.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on the loopback interface that injects network faults between a client and one server:
 * it cuts every open connection, stalls all traffic for a while (connections stay open, bytes wait), or
 * slows it to a byte rate. Point a client at {@link #jdbcUrl(String)} and fail its network from the test.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.to(pg.host(), pg.port())) {
 *     Source source = PostgresSource.builder().jdbcUrl(proxy.jdbcUrl(pg.jdbcUrl(db)))...;
 *     proxy.dropConnections();            // every open connection is reset
 *     proxy.stall(Duration.ofSeconds(30)); // nothing moves for 30 s, then everything resumes
 *     proxy.slow(64 * 1024);              // 64 KB/s in each direction of each connection, until heal()
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Pattern HOST_PORT = Pattern.compile("//[^/:?]+(:\\d+)?");

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong forwarded = new AtomicLong();
    private volatile long stalledUntil;
    private volatile boolean partitioned;
    private volatile int bytesPerSecond;
    private volatile boolean closed;

    private FaultProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy to {@code host:port}, listening on a free loopback port.
     *
     * @param host the server's host
     * @param port the server's port
     * @return the running proxy; close it
     */
    public static FaultProxy to(String host, int port) {
        try {
            return new FaultProxy(host, port);
        } catch (IOException e) {
            throw new EmbeddedServerException(
                    "Could not open a proxy port on the loopback interface: " + e.getMessage(), e);
        }
    }

    /** {@return the proxy's host (the loopback address)} */
    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    /** {@return the proxy's port} */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * {@code jdbcUrl} with its host and port replaced by the proxy's.
     *
     * @param jdbcUrl a JDBC URL of the server
     * @return the same URL through the proxy
     */
    public String jdbcUrl(String jdbcUrl) {
        Matcher m = HOST_PORT.matcher(jdbcUrl);
        if (!m.find()) {
            throw new IllegalArgumentException("no //host:port in " + jdbcUrl);
        }
        return jdbcUrl.substring(0, m.start()) + "//" + host() + ":" + port() + jdbcUrl.substring(m.end());
    }

    /** Resets every open connection (clients see a connection reset); new connections are accepted. */
    public void dropConnections() {
        for (Link link : links) {
            link.cut();
        }
    }

    /**
     * Holds all traffic, on open and new connections, for {@code duration}; then it flows again.
     *
     * @param duration how long
     */
    public void stall(Duration duration) {
        stalledUntil = System.nanoTime() + duration.toNanos();
    }

    /**
     * Limits each direction of each connection to {@code rate} bytes per second until {@link #heal()}.
     *
     * @param rate bytes per second
     */
    public void slow(int rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive, was " + rate);
        }
        bytesPerSecond = rate;
    }

    /**
     * Cuts the path until {@link #heal()}: nothing passes in either direction and connections stay open,
     * as in a network partition. Bytes sent meanwhile are held and delivered on healing. One difference from a
     * real partition: when one side closes its connection meanwhile, the other side's is closed at once
     * (standing in for the TCP keepalive that would end it later).
     */
    public void partition() {
        partitioned = true;
    }

    /** Ends a stall, a slowdown and a partition. */
    public void heal() {
        stalledUntil = 0;
        bytesPerSecond = 0;
        partitioned = false;
        for (Link link : links) {
            link.release();
        }
    }

    /**
     * Connections accepted so far.
     *
     * @return the count
     */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** {@return bytes forwarded so far, both directions} */
    public long bytesForwarded() {
        return forwarded.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        dropConnections();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + host() + ":" + port() + " -> " + targetHost + ":" + targetPort + "]";
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Socket upstream;
                try {
                    upstream = new Socket(targetHost, targetPort);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    pause(10);
                }
            }
        }
    }

    private void awaitPassage(int bytes) {
        while (!closed && System.nanoTime() < stalledUntil) {
            pause(10);
        }
        int rate = bytesPerSecond;
        if (rate > 0) {
            pause(Math.max(1, bytes * 1000L / rate));
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One proxied connection: two pumps, one per direction. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final int id = accepted.get();

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        private final ByteArrayOutputStream heldUp = new ByteArrayOutputStream();
        private final ByteArrayOutputStream heldDown = new ByteArrayOutputStream();
        private OutputStream toUpstream;
        private OutputStream toClient;

        void start() throws IOException {
            toUpstream = upstream.getOutputStream();
            toClient = client.getOutputStream();
            pump(client.getInputStream(), toUpstream, heldUp, "up");
            pump(upstream.getInputStream(), toClient, heldDown, "down");
        }

        /** Delivers what a partition held. */
        void release() {
            try {
                flush(toUpstream, heldUp);
                flush(toClient, heldDown);
            } catch (IOException e) {
                cut();
            }
        }

        private void flush(OutputStream out, ByteArrayOutputStream held) throws IOException {
            synchronized (held) {
                if (held.size() > 0 && out != null) {
                    out.write(held.toByteArray());
                    out.flush();
                    forwarded.addAndGet(held.size());
                    held.reset();
                }
            }
        }

        private void pump(InputStream in, OutputStream out, ByteArrayOutputStream held, String direction) {
            Thread t = new Thread(
                    () -> {
                        byte[] buffer = new byte[16 * 1024];
                        try {
                            while (true) {
                                int rate = bytesPerSecond;
                                int n = in.read(
                                        buffer,
                                        0,
                                        rate > 0 ? Math.min(buffer.length, Math.max(256, rate / 20)) : buffer.length);
                                if (n < 0) {
                                    break;
                                }
                                synchronized (held) {
                                    if (partitioned) {
                                        // read on regardless, so a side that closes is noticed
                                        held.write(buffer, 0, n);
                                        continue;
                                    }
                                }
                                flush(out, held);
                                awaitPassage(n);
                                out.write(buffer, 0, n);
                                out.flush();
                                forwarded.addAndGet(n);
                            }
                        } catch (IOException e) {
                            // the other side closed or the link was cut
                        }
                        cut();
                    },
                    "fault-proxy-" + port() + "-" + id + "-" + direction);
            t.setDaemon(true);
            t.start();
        }

        void cut() {
            links.remove(this);
            for (Socket s : new Socket[] {client, upstream}) {
                try {
                    s.setSoLinger(true, 0);
                } catch (SocketException e) {
                    // already closed
                }
                try {
                    s.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }
    }
}

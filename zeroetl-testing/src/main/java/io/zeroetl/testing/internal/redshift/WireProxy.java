package io.zeroetl.testing.internal.redshift;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listens on a loopback port and runs a {@link ProxyConnection} per client. */
public final class WireProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WireProxy.class);

    private final ServerSocket server;
    private final ProxyConfig config;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final ThreadFactory threads;
    private volatile boolean closed;

    private WireProxy(ServerSocket server, ProxyConfig config) {
        this.server = server;
        this.config = config;
        AtomicInteger count = new AtomicInteger();
        this.threads = r -> {
            Thread t = new Thread(r, "redshift-emulator-" + server.getLocalPort() + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts listening on a free loopback port. */
    public static WireProxy start(ProxyConfig config) throws IOException {
        WireProxy proxy = new WireProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), config);
        proxy.threads.newThread(proxy::accept).start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                clients.add(client);
                threads.newThread(() -> {
                            try {
                                new ProxyConnection(client, config, threads).run();
                            } finally {
                                clients.remove(client);
                            }
                        })
                        .start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Redshift emulator stopped accepting connections: {}", e.toString());
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the listener", e);
        }
        for (Socket client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                LOG.debug("closing a client", e);
            }
        }
    }
}

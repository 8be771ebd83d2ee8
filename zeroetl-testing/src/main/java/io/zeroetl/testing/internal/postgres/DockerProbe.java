package io.zeroetl.testing.internal.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a Docker engine's {@code /_ping} endpoint whether it answers, within a couple of seconds, before
 * Testcontainers is touched (which would otherwise search, log and wait at length).
 */
public final class DockerProbe {
    private static final int TIMEOUT_MS = 2000;

    private DockerProbe() {}

    /**
     * Empty when an engine answers at {@code dockerHost} (or, when that is empty, at {@code DOCKER_HOST}
     * or the usual socket paths); otherwise why none does.
     */
    public static Optional<String> whyUnavailable(Optional<String> dockerHost) {
        List<String> endpoints = new ArrayList<>();
        Optional<String> configured = dockerHost.or(
                () -> Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(s -> !s.isBlank()));
        if (configured.isPresent()) {
            endpoints.add(configured.get());
        } else {
            endpoints.add("unix:///var/run/docker.sock");
            String home = System.getProperty("user.home");
            endpoints.add("unix://" + home + "/.docker/run/docker.sock");
            endpoints.add("unix://" + home + "/.docker/desktop/docker.sock");
            String runtime = System.getenv("XDG_RUNTIME_DIR");
            if (runtime != null) {
                endpoints.add("unix://" + runtime + "/docker.sock");
            }
        }
        List<String> reasons = new ArrayList<>();
        for (String endpoint : endpoints) {
            Optional<String> failure = ping(endpoint);
            if (failure.isEmpty()) {
                return Optional.empty();
            }
            reasons.add(endpoint + ": " + failure.get());
        }
        return Optional.of("no Docker engine answers (" + String.join("; ", reasons) + ")");
    }

    private static Optional<String> ping(String endpoint) {
        CompletableFuture<Optional<String>> answer = CompletableFuture.supplyAsync(() -> pingNow(endpoint));
        try {
            return answer.get(TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return Optional.of("no answer within " + TIMEOUT_MS * 2 + " ms");
        } catch (ExecutionException e) {
            return Optional.of(e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private static Optional<String> pingNow(String endpoint) {
        byte[] request = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try {
            URI uri = URI.create(endpoint);
            String response;
            if ("unix".equals(uri.getScheme())) {
                Path socket = Path.of(uri.getPath());
                if (!Files.exists(socket)) {
                    return Optional.of("no socket file");
                }
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    channel.write(ByteBuffer.wrap(request));
                    ByteBuffer buffer = ByteBuffer.allocate(512);
                    channel.read(buffer);
                    response = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                }
            } else if ("tcp".equals(uri.getScheme()) || "http".equals(uri.getScheme())) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MS);
                    socket.setSoTimeout(TIMEOUT_MS);
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                    InputStream in = socket.getInputStream();
                    response = new String(in.readNBytes(512), StandardCharsets.US_ASCII);
                }
            } else {
                return Optional.of("unsupported scheme (use unix:// or tcp://)");
            }
            return response.startsWith("HTTP/1.") && response.contains(" 200 ")
                    ? Optional.empty()
                    : Optional.of("unexpected answer");
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}

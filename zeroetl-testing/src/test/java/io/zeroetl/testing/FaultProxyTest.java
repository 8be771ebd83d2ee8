package io.zeroetl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy forwards bytes, and cuts, holds and slows them on demand. */
class FaultProxyTest {
    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void echoServerBehindAProxy() throws IOException {
        echo = new ServerSocket(0);
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread pump = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                    pump.setDaemon(true);
                    pump.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        proxy = FaultProxy.to("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWaysAndRewritesJdbcUrls() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
        }
        assertThat(proxy.jdbcUrl("jdbc:postgresql://db.example:5432/app?ssl=true"))
                .isEqualTo("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/app?ssl=true");
        // the proxy counts a chunk after writing it on, so the echo can reach the client before its count does
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (proxy.bytesForwarded() < 10 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(proxy.bytesForwarded()).isEqualTo(10);
    }

    @Test
    void droppedConnectionsAreResetAndNewOnesWork() throws IOException {
        try (Socket s = connect()) {
            roundTrip(s, "x");
            proxy.dropConnections();
            assertThatThrownBy(() -> {
                        s.getOutputStream().write('y');
                        if (s.getInputStream().read() < 0) {
                            throw new IOException("closed");
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "again")).isEqualTo("again");
        }
        assertThat(proxy.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void aStallHoldsBytesUntilItEndsOrHeals() throws IOException {
        try (Socket s = connect()) {
            proxy.stall(Duration.ofMinutes(5));
            s.getOutputStream().write("held".getBytes());
            s.setSoTimeout(500);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.heal();
            s.setSoTimeout(10_000);
            assertThat(new String(s.getInputStream().readNBytes(4))).isEqualTo("held");
        }
    }

    @Test
    void slowedTrafficStillArrivesWhole() throws IOException {
        proxy.slow(20_000);
        try (Socket s = connect()) {
            String text = "z".repeat(4_000);
            assertThat(roundTrip(s, text)).isEqualTo(text);
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(proxy.host(), proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes());
        InputStream in = s.getInputStream();
        return new String(in.readNBytes(text.length()));
    }
}

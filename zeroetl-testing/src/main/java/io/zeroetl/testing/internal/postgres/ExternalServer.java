package io.zeroetl.testing.internal.postgres;

import io.zeroetl.testing.EmbeddedServerException;
import io.zeroetl.testing.internal.Settings;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server someone else runs, given by {@code zeroetl.postgres.url} (a {@code jdbc:postgresql://host:port/db}
 * URL), {@code zeroetl.postgres.user} and {@code zeroetl.postgres.password}. It is never stopped by us;
 * {@link #restart()} is not possible.
 */
public final class ExternalServer implements RunningServer {
    public static final String URL = "zeroetl.postgres.url";
    public static final String USER = "zeroetl.postgres.user";
    public static final String PASSWORD = "zeroetl.postgres.password";
    private static final Pattern JDBC_URL =
            Pattern.compile("jdbc:postgresql://([^/:?]+|\\[[^]]+\\])(?::(\\d+))?(/.*)?");

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private ExternalServer(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** The server the settings name. */
    public static ExternalServer fromSettings() {
        String url = Settings.get(URL)
                .orElseThrow(() -> new EmbeddedServerException(
                        "The external PostgreSQL backend needs the server's JDBC URL: set " + Settings.describe(URL)
                                + " to jdbc:postgresql://host:port/postgres, plus " + Settings.describe(USER) + " and "
                                + Settings.describe(PASSWORD) + "."));
        Matcher m = JDBC_URL.matcher(url);
        if (!m.matches()) {
            throw new EmbeddedServerException(Settings.describe(URL) + " must look like jdbc:postgresql://host:port/db;"
                    + " got a value that does not");
        }
        String user = Settings.get(USER).orElse("postgres");
        String password = Settings.get(PASSWORD).orElse("");
        return new ExternalServer(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)), user, password);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public void restart() {
        throw new EmbeddedServerException("An external PostgreSQL server cannot be restarted by the test fixture;"
                + " use the maven or local backend for restart tests.");
    }

    @Override
    public void close() {
        // not ours to stop
    }

    @Override
    public String toString() {
        return "ExternalServer[" + host + ":" + port + "]";
    }
}

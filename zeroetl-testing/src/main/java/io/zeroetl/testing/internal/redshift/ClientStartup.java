package io.zeroetl.testing.internal.redshift;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A client connection's start as Redshift answers it: no SSL, a cleartext password checked against the
 * emulator's user, the database's name checked; and the parameters passed on to PostgreSQL.
 */
final class ClientStartup {
    /** Startup parameters of the Redshift driver that PostgreSQL does not know (or that the emulator sets). */
    private static final Set<String> DROPPED = Set.of(
            "driver_version",
            "os_version",
            "plugin_name",
            "client_protocol_version",
            "driver_discovery_version",
            "user",
            "database");

    private final ProxyConfig config;

    ClientStartup(ProxyConfig config) {
        this.config = config;
    }

    /** Reads startup packets until the real one; returns its parameters, or null when done (SSL refused, cancel). */
    Map<String, String> startup(DataInputStream in, OutputStream out) throws IOException {
        while (true) {
            byte[] body = Wire.readStartup(in);
            Wire.Reader r = new Wire.Reader(body);
            int code = r.int32();
            if (code == Wire.SSL_REQUEST || code == Wire.GSSENC_REQUEST) {
                out.write('N');
                out.flush();
            } else if (code == Wire.CANCEL_REQUEST) {
                try (Socket b = new Socket(config.backendHost(), config.backendPort())) {
                    OutputStream bout = b.getOutputStream();
                    Wire.writeStartup(bout, body);
                    bout.flush();
                }
                return null;
            } else if (code == Wire.PROTOCOL_3) {
                Map<String, String> parameters = new LinkedHashMap<>();
                while (!r.atEnd()) {
                    String key = r.cstring();
                    if (key.isEmpty()) {
                        break;
                    }
                    parameters.put(key, r.cstring());
                }
                return parameters;
            } else {
                fatal(out, "08P01", "unsupported frontend protocol " + (code >>> 16) + "." + (code & 0xFFFF));
                return null;
            }
        }
    }

    boolean authenticate(Map<String, String> parameters, DataInputStream in, OutputStream out) throws IOException {
        String user = parameters.getOrDefault("user", "");
        String database = parameters.getOrDefault("database", user);
        Wire.write(out, 'R', new Wire.Body().int32(3).build());
        out.flush();
        Wire.Message reply = Wire.read(in);
        if (reply == null || reply.type() != 'p') {
            return false;
        }
        String password = new Wire.Reader(reply.body()).cstring();
        boolean ok = user.equals(config.user())
                && MessageDigest.isEqual(
                        password.getBytes(StandardCharsets.UTF_8),
                        config.password().getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            fatal(out, "28000", "password authentication failed for user \"" + user + "\"");
            return false;
        }
        if (!database.equals(config.database())) {
            fatal(out, "3D000", "database \"" + database + "\" does not exist");
            return false;
        }
        return true;
    }

    Map<String, String> backendParameters(Map<String, String> client) {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("user", config.backendUser());
        result.put("database", config.backendDatabase());
        client.forEach((key, value) -> {
            if (!DROPPED.contains(key) && !key.startsWith("_pq_.")) {
                result.put(key, value);
            }
        });
        return result;
    }

    static void fatal(OutputStream out, String sqlState, String message) throws IOException {
        Wire.write(out, 'E', Wire.error("FATAL", sqlState, message, null));
        out.flush();
    }
}

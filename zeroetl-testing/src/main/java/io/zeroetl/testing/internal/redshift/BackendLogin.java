package io.zeroetl.testing.internal.redshift;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Logs the proxy into the backing PostgreSQL: startup, then trust, cleartext, MD5 or SCRAM-SHA-256
 * authentication, up to AuthenticationOk. What follows (parameter status, key data, ReadyForQuery) is
 * left on the stream for the proxy to relay.
 */
final class BackendLogin {
    private BackendLogin() {}

    /**
     * Sends the startup packet with {@code parameters} and authenticates as {@code user}; returns null
     * on success or the server's ErrorResponse body.
     */
    static byte[] login(
            DataInputStream in, OutputStream out, Map<String, String> parameters, String user, String password)
            throws IOException {
        Wire.Body startup = new Wire.Body().int32(Wire.PROTOCOL_3);
        parameters.forEach((k, v) -> startup.cstring(k).cstring(v));
        Wire.writeStartup(out, startup.byte1(0).build());
        out.flush();
        String clientFirstBare = null;
        String nonce = null;
        while (true) {
            Wire.Message m = Wire.read(in);
            if (m == null) {
                throw new IOException("the backing PostgreSQL closed the connection during login");
            }
            if (m.type() == 'E') {
                return m.body();
            }
            if (m.type() != 'R') {
                throw new IOException("unexpected message '" + m.type() + "' during login");
            }
            Wire.Reader r = new Wire.Reader(m.body());
            int code = r.int32();
            switch (code) {
                case 0:
                    return null;
                case 3:
                    send(out, new Wire.Body().cstring(password).build());
                    break;
                case 5:
                    byte[] salt = r.rest();
                    String inner = md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
                    byte[] outerInput = concat(inner.getBytes(StandardCharsets.US_ASCII), salt);
                    send(
                            out,
                            new Wire.Body().cstring("md5" + md5Hex(outerInput)).build());
                    break;
                case 10:
                    byte[] random = new byte[18];
                    new SecureRandom().nextBytes(random);
                    nonce = Base64.getEncoder().encodeToString(random);
                    clientFirstBare = "n=,r=" + nonce;
                    byte[] first = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
                    send(
                            out,
                            new Wire.Body()
                                    .cstring("SCRAM-SHA-256")
                                    .int32(first.length)
                                    .raw(first)
                                    .build());
                    break;
                case 11:
                    String serverFirst = new String(r.rest(), StandardCharsets.UTF_8);
                    send(out, scramFinal(password, clientFirstBare, nonce, serverFirst));
                    break;
                case 12:
                    break;
                default:
                    throw new IOException("unsupported authentication method " + code + " at the backing PostgreSQL");
            }
        }
    }

    private static byte[] scramFinal(String password, String clientFirstBare, String nonce, String serverFirst)
            throws IOException {
        String serverNonce = null;
        byte[] salt = null;
        int iterations = 0;
        for (String part : serverFirst.split(",")) {
            if (part.startsWith("r=")) {
                serverNonce = part.substring(2);
            } else if (part.startsWith("s=")) {
                salt = Base64.getDecoder().decode(part.substring(2));
            } else if (part.startsWith("i=")) {
                iterations = Integer.parseInt(part.substring(2));
            }
        }
        if (serverNonce == null || salt == null || !serverNonce.startsWith(nonce)) {
            throw new IOException("bad SCRAM server-first message");
        }
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = factory.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                    .getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            String withoutProof = "c=biws,r=" + serverNonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IOException("SCRAM-SHA-256 is not available in this JVM", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(OutputStream out, byte[] body) throws IOException {
        Wire.write(out, 'p', body);
        out.flush();
    }

    private static String md5Hex(byte[] input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}

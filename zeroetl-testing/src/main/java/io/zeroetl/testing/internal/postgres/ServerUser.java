package io.zeroetl.testing.internal.postgres;

import io.zeroetl.testing.EmbeddedServerException;
import io.zeroetl.testing.internal.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The OS user the PostgreSQL server runs as. PostgreSQL refuses to run as root, so when this JVM is
 * root the server runs as an unprivileged user ({@code nobody} unless {@code zeroetl.postgres.osUser}
 * names another), switched to with {@code setpriv} (or {@code runuser}) from util-linux; otherwise it
 * runs as the JVM's own user.
 */
final class ServerUser {
    static final String OS_USER = "zeroetl.postgres.osUser";

    private final String name;
    private final int uid;
    private final int gid;
    private final List<String> prefix;

    private ServerUser(String name, int uid, int gid, List<String> prefix) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.prefix = List.copyOf(prefix);
    }

    /** The user for this JVM: itself, or an unprivileged one when the JVM runs as root. */
    static ServerUser forThisProcess() {
        if (Platform.uid() != 0) {
            return new ServerUser(System.getProperty("user.name"), -1, -1, List.of());
        }
        String name = Settings.get(OS_USER).orElse("nobody");
        String[] entry = lookup(name)
                .orElseThrow(() -> new EmbeddedServerException(
                        "PostgreSQL refuses to run as root, and the user '" + name + "' to run it as does not exist."
                                + " Create an unprivileged user (useradd --system zeroetl-pg) and name it with "
                                + Settings.describe(OS_USER) + ", or run the tests as a normal user."));
        int uid = Integer.parseInt(entry[2]);
        int gid = Integer.parseInt(entry[3]);
        List<String> prefix = new ArrayList<>();
        Optional<Path> setpriv = onPath("setpriv");
        Optional<Path> runuser = onPath("runuser");
        if (setpriv.isPresent()) {
            prefix.addAll(
                    List.of(setpriv.get().toString(), "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        } else if (runuser.isPresent()) {
            prefix.addAll(List.of(runuser.get().toString(), "-u", name, "--"));
        } else {
            throw new EmbeddedServerException("PostgreSQL refuses to run as root, and neither setpriv nor runuser"
                    + " (util-linux) is installed to switch to the user '" + name + "'. Install util-linux, or run"
                    + " the tests as a normal user.");
        }
        return new ServerUser(name, uid, gid, prefix);
    }

    /** Whether the server runs as another user than the JVM. */
    boolean switchesUser() {
        return !prefix.isEmpty();
    }

    /** The words to put before a command so that it runs as this user. */
    List<String> commandPrefix() {
        return prefix;
    }

    String name() {
        return name;
    }

    /** Gives {@code path} to this user, when it is not the JVM's own. */
    void own(Path path) throws IOException {
        if (switchesUser()) {
            Files.setAttribute(path, "unix:uid", uid);
            Files.setAttribute(path, "unix:gid", gid);
        }
    }

    private static Optional<String[]> lookup(String name) {
        try {
            Process getent = new ProcessBuilder("getent", "passwd", name)
                    .redirectErrorStream(true)
                    .start();
            String line = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (getent.waitFor(10, TimeUnit.SECONDS) && getent.exitValue() == 0 && !line.isEmpty()) {
                return Optional.of(line.split(":"));
            }
        } catch (IOException e) {
            // no getent: read the file below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream()
                    .map(l -> l.split(":"))
                    .filter(f -> f.length >= 4 && f[0].equals(name))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(":")));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        return dirs.stream()
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}

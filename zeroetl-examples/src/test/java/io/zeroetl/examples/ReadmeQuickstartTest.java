package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The quickstart in the README is the code the build compiles. */
class ReadmeQuickstartTest {
    @Test
    void readmeShowsTheCompiledQuickstart() throws Exception {
        String source = Files.readString(Path.of("src/main/java/io/zeroetl/examples/Quickstart.java"));
        String body = source.substring(source.indexOf("// README-QUICKSTART-START") + 26,
                source.indexOf("// README-QUICKSTART-END"));
        String code = body.lines().filter(l -> !l.isBlank()).map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n"));

        String readme = Files.readString(Path.of("../README.md"));

        assertThat(readme).contains("```java\n" + code + "\n```");
    }
}

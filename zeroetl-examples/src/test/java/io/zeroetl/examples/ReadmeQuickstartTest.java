package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/** The README's code is the code the build compiles and runs, and its coordinates are the build's. */
class ReadmeQuickstartTest {
    @Test
    void readmeShowsTheCompiledQuickstart() throws Exception {
        String source = Files.readString(Path.of("src/main/java/io/zeroetl/examples/Quickstart.java"));
        String body = source.substring(
                source.indexOf("// README-QUICKSTART-START") + 26, source.indexOf("// README-QUICKSTART-END"));
        String code = body.lines()
                .filter(l -> !l.isBlank())
                .map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n"));

        String readme = Files.readString(Path.of("../README.md"));

        assertThat(readme).contains("```java\n" + code + "\n```");
    }

    @Test
    void theBomManagesEveryPublishedModule() throws Exception {
        DocumentBuilder xml = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        org.w3c.dom.NodeList modules = xml.parse(Path.of("../pom.xml").toFile()).getElementsByTagName("module");
        org.w3c.dom.NodeList managed =
                xml.parse(Path.of("../zeroetl-bom/pom.xml").toFile()).getElementsByTagName("artifactId");
        Set<String> inBom = new HashSet<>();
        for (int i = 0; i < managed.getLength(); i++) {
            inBom.add(managed.item(i).getTextContent());
        }
        List<String> published = new ArrayList<>();
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent();
            if (!Set.of("zeroetl-examples", "zeroetl-bench", "zeroetl-bom").contains(module)) {
                published.add(module);
            }
        }

        assertThat(published)
                .isNotEmpty()
                .allSatisfy(m -> assertThat(inBom).as("zeroetl-bom").contains(m));
        assertThat(Files.readString(Path.of("../README.md")))
                .contains("<artifactId>zeroetl-bom</artifactId>")
                .contains("<artifactId>zeroetl-micrometer</artifactId>");
    }
}

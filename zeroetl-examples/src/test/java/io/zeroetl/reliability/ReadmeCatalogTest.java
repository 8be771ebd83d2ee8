package io.zeroetl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The hostile input table (docs/hostile-inputs.md) is the catalog {@link HostileInputIT} checks, case by case. */
class ReadmeCatalogTest {
    @Test
    void theReadmeShowsEveryCaseWithTheOutcomeTheSuiteChecks() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "hostile-inputs.md"), StandardCharsets.UTF_8);
        List<String> rows =
                HostileCatalog.cases().stream().map(ReadmeCatalogTest::row).collect(Collectors.toList());

        assertThat(readme)
                .as("docs/hostile-inputs.md rows; the table to paste:\n" + String.join("\n", rows))
                .contains(rows);
    }

    static String row(HostileCase c) {
        return "| " + c.number() + " | " + c.kind() + " | " + c.description().replace("|", "\\|") + " | "
                + c.outcome().readme + (c.reason() == null ? "" : " (reason names `" + c.reason() + "`)") + " |";
    }
}

package io.zeroetl.postgres.internal.ddl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's schema-change classification is {@link DdlEffects#RULES}, form by form. */
class DdlRulesReadmeTest {
    @Test
    void theReadmeShowsEveryRuleWithItsEffect() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "schema-changes.md"), StandardCharsets.UTF_8);
        List<String> rows =
                DdlEffects.RULES.stream().map(DdlRulesReadmeTest::row).toList();
        assertThat(readme)
                .as("README rows; the table to paste:\n" + String.join("\n", rows))
                .contains(rows);
    }

    static String row(DdlEffects.Rule rule) {
        return "| " + rule.kind() + " | " + rule.form() + " | " + rule.effect().readme + " |";
    }
}

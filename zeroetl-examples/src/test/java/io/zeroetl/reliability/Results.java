package io.zeroetl.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;

/**
 * The suite's results, one line per test, appended to {@code target/reliability-results.md}: what the
 * README's reliability section reports after a long run.
 */
final class Results {
    static final Path FILE = Path.of("target", "reliability-results.md");

    private Results() {}

    static synchronized void record(String test, String outcome) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(
                    FILE,
                    "- " + LocalDate.now() + " " + Scale.name() + " " + test + ": " + outcome + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

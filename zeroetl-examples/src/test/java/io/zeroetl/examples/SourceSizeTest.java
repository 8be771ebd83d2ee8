package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Small files: no main source file of a published module (or the examples) runs over 400 lines. */
class SourceSizeTest {
    private static final int MAX_LINES = 400;

    @Test
    void noMainSourceFileIsOver400Lines() throws IOException {
        Map<String, Integer> over = new TreeMap<>();
        List<Path> modules;
        try (Stream<Path> dirs = Files.list(Path.of(".."))) {
            modules = dirs.filter(d -> d.getFileName().toString().startsWith("zeroetl-"))
                    .filter(d -> !d.getFileName().toString().equals("zeroetl-bench"))
                    .toList();
        }
        assertThat(modules).as("the modules, seen from zeroetl-examples").hasSizeGreaterThan(5);
        for (Path module : modules) {
            Path main = module.resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    int lines = lines(f);
                    if (lines > MAX_LINES) {
                        over.put(main.relativize(f).toString(), lines);
                    }
                });
            }
        }
        assertThat(over)
                .as("files over " + MAX_LINES + " lines: split them by job")
                .isEmpty();
    }

    private static int lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.zeroetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java example in the README and in {@code docs/} compiles against this build's public API, so an SPI or
 * API change that leaves an example behind fails the build. A snippet that is a whole file (the host project's
 * tests) is left to {@link HostProjectIT}, which builds that project; any other snippet is compiled as the body
 * of a method, or as a nested class when it declares one, given the variables the prose names ({@code source},
 * {@code target}, {@code pipeline}, ...).
 */
class DocSnippetsCompileTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    /** What the examples may use without saying: the public packages, and the variables the prose names. */
    private static final String PREAMBLE = """
            package snippets;

            import io.micrometer.core.instrument.MeterRegistry;
            import io.micrometer.core.instrument.Tags;
            import io.zeroetl.*;
            import io.zeroetl.change.*;
            import io.zeroetl.conformance.*;
            import io.zeroetl.micrometer.*;
            import io.zeroetl.postgres.*;
            import io.zeroetl.redshift.*;
            import io.zeroetl.spi.*;
            import java.math.BigDecimal;
            import java.time.Duration;
            import java.util.List;
            %s
            @SuppressWarnings("unused")
            class Snippet {
                PostgresSource postgresSource;
                RedshiftTarget redshiftTarget;
                Source source;
                Target target;
                Pipeline pipeline;
                String pw;
                String pw2;
                MeterRegistry registry;
                Transform myTransform;

                /** A host's own target, as the conformance example names it. */
                static class MyTarget {
                    ChangeApplier applier() {
                        return null;
                    }

                    List<List<String>> read(TableId table, List<String> columns) {
                        return List.of();
                    }
                }

            %s
            }
            """;

    record Snippet(String where, String code) {
        @Override
        public String toString() {
            return where;
        }
    }

    static List<Snippet> snippets() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("../README.md"));
        try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                String code = m.group(1);
                if (!code.startsWith("package ")) {
                    int line = text.substring(0, m.start()).split("\n", -1).length;
                    snippets.add(new Snippet(file.getFileName() + ":" + line, code));
                }
            }
        }
        return snippets;
    }

    @ParameterizedTest
    @MethodSource("snippets")
    void compiles(Snippet snippet, @TempDir Path out) throws IOException {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.code().split("\n")) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        boolean declaresClass = Pattern.compile("(?m)^(public |abstract |final )*class ")
                .matcher(body)
                .find();
        String members = declaresClass ? body.toString() : "void example() throws Exception {\n" + body + "}\n";
        String source = PREAMBLE.formatted(imports, members);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            JavaFileObject unit =
                    new SimpleJavaFileObject(
                            java.net.URI.create("string:///snippets/Snippet.java"), JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return source;
                        }
                    };
            boolean ok = compiler.getTask(
                            errors, files, null, List.of("-classpath", classpath, "-proc:none"), null, List.of(unit))
                    .call();
            assertThat(ok)
                    .as("the example at %s compiles; javac says:%n%s%nin:%n%s", snippet, errors, source)
                    .isTrue();
        }
    }
}

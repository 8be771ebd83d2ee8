package io.zeroetl.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core is technology-free: its main code (comments aside) names no PostgreSQL or Redshift type, no error
 * code of either beyond the SQL standard's SQLSTATE classes, no SQL statement keyword, and neither product.
 * What differs per technology comes from the source ({@code ValueType}s on columns), the target
 * ({@code Target.foldName}) or the technology module ({@code SqlErrors.Dialect}).
 */
class CoreKnowsNoTechnologyTest {
    /** PostgreSQL's own type names: forbidden in identifiers and in strings, in any case. */
    private static final Set<String> POSTGRES_TYPES = Set.of(
            "int2",
            "int4",
            "int8",
            "float4",
            "float8",
            "bool",
            "bpchar",
            "varchar",
            "numeric",
            "timestamptz",
            "timetz",
            "bytea",
            "jsonb",
            "oid",
            "regclass",
            "pg_lsn",
            "tsvector",
            "macaddr",
            "cidr",
            "inet",
            "money");

    /** Redshift's type names as SQL writes them: forbidden in strings. */
    private static final Pattern REDSHIFT_TYPES = Pattern.compile("\\b(SMALLINT|INTEGER|BIGINT|DECIMAL|REAL|DOUBLE"
            + " PRECISION|BOOLEAN|CHAR|NCHAR|VARCHAR|TEXT|DATE|TIMESTAMP|TIMESTAMPTZ|TIME|TIMETZ|VARBYTE|SUPER"
            + "|GEOMETRY|GEOGRAPHY|HLLSKETCH|INTERVAL)\\b");

    /** SQL statement keywords as SQL writes them: forbidden in strings. */
    private static final Pattern SQL_KEYWORDS = Pattern.compile("\\b(SELECT|INSERT|UPDATE|DELETE|MERGE|ALTER|CREATE"
            + "|DROP|TRUNCATE|LOCK|GRANT|COPY|UNLOAD|VACUUM|ANALYZE|BEGIN|COMMIT|ROLLBACK|WHERE|FROM|JOIN|VALUES)\\b");

    /** A string that is an SQLSTATE or class, Redshift's error numbers, PostgreSQL's P codes. */
    private static final Pattern SQLSTATE = Pattern.compile("[0-9][0-9A-Z]([0-9A-Z]{3})?");

    private static final Pattern VENDOR_CODES = Pattern.compile("\\b(1023|[0-9]{2}P[0-9]{2})\\b");

    /** ISO/IEC 9075's classes and codes that core's SqlErrors may read: 08, 28, 40001, 42. */
    private static final Set<String> STANDARD_SQLSTATES = Set.of("08", "28", "40001", "42");

    private static final Pattern PRODUCTS = Pattern.compile("(?i)postgres|redshift|pgoutput|pgjdbc");

    @Test
    void coreMainCodeNamesNoTechnology() {
        List<Path> files = javaFiles(Path.of("src/main/java"));
        assertThat(files).as("core's main sources, seen from zeroetl-core").hasSizeGreaterThan(50);
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            for (String problem : problems(read(file))) {
                found.add(file.getFileName() + ": " + problem);
            }
        }
        assertThat(found)
                .as("technology knowledge in core: move it to the source, the target or their module")
                .isEmpty();
    }

    @Test
    void theCheckFindsEachSortOfTechnologyKnowledge() {
        assertThat(problems("static final ColumnType INT8 = named(\"x\");")).isNotEmpty();
        assertThat(problems("if (type.name().equals(\"timestamptz\")) {}")).isNotEmpty();
        assertThat(problems("String s = \"VARCHAR(\" + n + \")\";")).isNotEmpty();
        assertThat(problems("run(\"DELETE FROM t\");")).isNotEmpty();
        assertThat(problems("if (state.equals(\"57P01\")) {}")).isNotEmpty();
        assertThat(problems("if (m.contains(\"error 1023\")) {}")).isNotEmpty();
        assertThat(problems("if (state.startsWith(\"53\")) {}")).isNotEmpty();
        assertThat(problems("throw new X(\"Redshift folds names\");")).isNotEmpty();
        assertThat(problems("// int8, SELECT, Redshift, 57P01 in a comment\n/* TIMESTAMPTZ */ int x = 1;"))
                .isEmpty();
        assertThat(problems("if (state.startsWith(\"08\") || state.equals(\"40001\")) {}"))
                .isEmpty();
        assertThat(problems("String s = \"a \\\"quoted\\\" word, then // not a comment: SELECT\";"))
                .isNotEmpty();
    }

    static List<String> problems(String source) {
        List<String> problems = new ArrayList<>();
        Code code = Code.of(source);
        for (String word : code.identifiers()) {
            if (POSTGRES_TYPES.contains(word.toLowerCase(Locale.ROOT))) {
                problems.add("identifier " + word + " is a PostgreSQL type");
            }
        }
        for (String literal : code.strings()) {
            for (String word : literal.split("[^A-Za-z0-9_]+")) {
                if (POSTGRES_TYPES.contains(word.toLowerCase(Locale.ROOT))) {
                    problems.add("\"" + literal + "\" names PostgreSQL type " + word);
                }
            }
            find(REDSHIFT_TYPES, literal, "a Redshift type", problems);
            find(SQL_KEYWORDS, literal, "an SQL keyword", problems);
            find(VENDOR_CODES, literal, "a vendor error code", problems);
            find(PRODUCTS, literal, "a product", problems);
            if (SQLSTATE.matcher(literal).matches() && !STANDARD_SQLSTATES.contains(literal)) {
                problems.add("\"" + literal + "\" is an SQLSTATE outside the SQL standard's");
            }
        }
        return problems;
    }

    private static void find(Pattern pattern, String literal, String what, List<String> problems) {
        Matcher m = pattern.matcher(literal);
        if (m.find()) {
            problems.add("\"" + literal + "\" names " + what + ": " + m.group());
        }
    }

    /** Java source split into identifiers and string contents, comments and char literals dropped. */
    private record Code(List<String> identifiers, List<String> strings) {
        static Code of(String source) {
            List<String> identifiers = new ArrayList<>();
            List<String> strings = new ArrayList<>();
            int i = 0;
            int n = source.length();
            while (i < n) {
                char c = source.charAt(i);
                if (source.startsWith("//", i)) {
                    i = end(source.indexOf('\n', i), n);
                } else if (source.startsWith("/*", i)) {
                    i = end(source.indexOf("*/", i + 2), n) + 2;
                } else if (source.startsWith("\"\"\"", i)) {
                    int close = end(source.indexOf("\"\"\"", i + 3), n);
                    strings.add(source.substring(i + 3, Math.min(close, n)));
                    i = close + 3;
                } else if (c == '"' || c == '\'') {
                    StringBuilder text = new StringBuilder();
                    int j = i + 1;
                    while (j < n && source.charAt(j) != c) {
                        if (source.charAt(j) == '\\' && j + 1 < n) {
                            j++;
                        }
                        text.append(source.charAt(j));
                        j++;
                    }
                    if (c == '"') {
                        strings.add(text.toString());
                    }
                    i = j + 1;
                } else if (Character.isJavaIdentifierStart(c)) {
                    int j = i;
                    while (j < n && Character.isJavaIdentifierPart(source.charAt(j))) {
                        j++;
                    }
                    identifiers.add(source.substring(i, j));
                    i = j;
                } else {
                    i++;
                }
            }
            return new Code(identifiers, strings);
        }

        private static int end(int index, int length) {
            return index < 0 ? length : index;
        }
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

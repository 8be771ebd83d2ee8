package io.zeroetl.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Peak heap and RSS of a pipeline JVM started with {@code -Xmx256m} while it replicates one transaction
 * of many rows into the Redshift emulator ({@link MemoryChild} does the work and reports its peaks).
 */
final class Memory {
    /** The child's result line (other output may share the line: the child's log goes to the same pipe). */
    private static final Pattern PEAK = Pattern.compile("PEAK (\\d+) (\\d+) ([0-9.]+)");

    record Result(long rows, long peakHeapMb, long peakRssMb, double seconds, String error) {}

    private Memory() {}

    static Result run(Env env, long rows) throws Exception {
        String db = env.newDatabase();
        try {
            env.sql(
                    db,
                    "CREATE TABLE orders (order_id BIGINT PRIMARY KEY, customer_name VARCHAR(100) NOT NULL,"
                            + " total_amount DECIMAL(10,2))");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(
                    java.toString(),
                    "-Xmx256m",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp",
                    System.getProperty("java.class.path"),
                    MemoryChild.class.getName(),
                    env.pg.jdbcUrl(db),
                    env.pg.user(),
                    env.pg.password(),
                    env.redshift.jdbcUrl(),
                    env.redshift.user(),
                    env.redshift.password(),
                    Long.toString(rows)));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String result = null;
            StringBuilder output = new StringBuilder();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.append(line).append('\n');
                    Matcher m = PEAK.matcher(line);
                    if (m.find()) {
                        result = m.group(1) + " " + m.group(2) + " " + m.group(3);
                    }
                }
            }
            p.waitFor();
            if (result == null) {
                String tail = output.length() > 2000 ? output.substring(output.length() - 2000) : output.toString();
                return new Result(rows, -1, -1, -1, "the child printed no result: " + tail);
            }
            String[] parts = result.split(" ");
            return new Result(
                    rows, Long.parseLong(parts[0]), Long.parseLong(parts[1]), Double.parseDouble(parts[2]), null);
        } finally {
            env.pg.dropDatabase(db);
        }
    }
}

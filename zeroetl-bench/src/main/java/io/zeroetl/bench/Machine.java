package io.zeroetl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A description of the machine the benchmark ran on. */
final class Machine {
    private static String postgres = "16";

    private Machine() {}

    static String describe() {
        String cpu = "unknown CPU";
        long memKb = -1;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(cpu);
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst()
                    .orElse(-1L);
        } catch (IOException e) {
            // not Linux: keep the defaults
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + (memKb >> 20) + " GB RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }

    static String postgres() {
        return postgres;
    }
}

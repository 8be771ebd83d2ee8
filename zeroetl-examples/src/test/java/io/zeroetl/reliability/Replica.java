package io.zeroetl.reliability;

import io.zeroetl.testing.FaultProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of several pipeline JVMs running the same pipeline, with its own log and its own proxies to the source
 * and the target. What it printed says whether it is the active instance.
 */
record Replica(String name, Process process, Path log, FaultProxy sourceProxy, FaultProxy targetProxy, Path stopFile) {
    /** Asks it to catch up and close (gracefully, handing over). */
    void stop() throws IOException {
        Files.writeString(stopFile, "");
    }

    /** The state it last moved to (STARTING before any). */
    String state() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.startsWith("STATE ")) {
                return line.substring(line.indexOf("-> ") + 3).trim();
            }
        }
        return "STARTING";
    }

    /** Whether it is the active instance: alive, streaming or copying. */
    boolean active() throws IOException {
        String state = state();
        return process.isAlive() && (state.equals("STREAMING") || state.equals("SNAPSHOTTING"));
    }

    /** Whether it printed {@code text}. */
    boolean printed(String text) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    }

    /** Sends it {@code signal} (e.g. STOP, CONT) with the system's kill command. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Kills it (SIGKILL) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** Its last lines, for failure messages. */
    String tail() throws IOException {
        String all = Files.readString(log, StandardCharsets.UTF_8);
        return name + ": " + all.substring(Math.max(0, all.length() - 4000));
    }

    /** Waits until {@code done} holds or {@code timeout} passed; false then. */
    static boolean await(Duration timeout, Check done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return true;
    }

    /** A condition that may read files. */
    interface Check {
        boolean holds() throws Exception;
    }
}

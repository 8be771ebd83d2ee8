package io.zeroetl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** A JFR recording of this JVM (profile settings), summarised as the methods most often on top of the stack. */
final class Profiler implements AutoCloseable {
    private final Recording recording;
    private final Map<String, Integer> callers = new HashMap<>();
    private final Map<String, Integer> threads = new HashMap<>();

    private Profiler(Recording recording) {
        this.recording = recording;
    }

    static Profiler start() throws Exception {
        // the default settings with the profile settings' sampling period: the profile settings also record every
        // object promoted during a collection, which costs the measured run CPU of its own
        Recording r = new Recording(Configuration.getConfiguration("default"));
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        r.start();
        return new Profiler(r);
    }

    /** After {@link #hotSpots}: the {@code top} zeroetl methods nearest the top of the sampled stacks. */
    String callers(int top) {
        int all = Math.max(
                1, callers.values().stream().mapToInt(Integer::intValue).sum());
        return callers.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .map(en -> String.format("- `%s` %.1f %%", en.getKey(), 100.0 * en.getValue() / all))
                .collect(Collectors.joining("\n"));
    }

    /** After {@link #hotSpots}: the execution samples per thread (numbered threads of one kind together). */
    String threads() {
        return threads.toString();
    }

    /** The {@code top} methods where execution samples landed (zeroetl's own threads), as a Markdown list. */
    String hotSpots(int top) throws Exception {
        Path file = Files.createTempFile("zeroetl-bench", ".jfr");
        recording.dump(file);
        Map<String, Integer> counts = new HashMap<>();
        callers.clear();
        threads.clear();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")
                    || e.getStackTrace() == null
                    || e.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null
                    ? ""
                    : e.getThread("sampledThread").getJavaName();
            if (thread == null || !thread.startsWith("zeroetl-")) {
                continue;
            }
            threads.merge(thread, 1, Integer::sum);
            RecordedFrame frame = e.getStackTrace().getFrames().get(0);
            String method = frame.getMethod().getType().getName() + "."
                    + frame.getMethod().getName();
            counts.merge(method, 1, Integer::sum);
            // the same sample by the zeroetl method nearest the top: whose work a library's frame did
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                String type = f.getMethod().getType().getName();
                if (type.startsWith("io.zeroetl.")) {
                    callers.merge(type + "." + f.getMethod().getName(), 1, Integer::sum);
                    break;
                }
            }
            total++;
        }
        Files.deleteIfExists(file);
        int all = Math.max(1, total);
        return counts.entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .limit(top)
                        .map(en -> String.format("- `%s` %.1f %%", en.getKey(), 100.0 * en.getValue() / all))
                        .collect(Collectors.joining("\n"))
                + "\n\n(" + total + " execution samples on the pipeline's threads)";
    }

    @Override
    public void close() {
        recording.close();
    }
}

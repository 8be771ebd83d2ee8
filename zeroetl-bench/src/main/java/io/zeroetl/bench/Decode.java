package io.zeroetl.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link DecodeBenchmark} with JMH (one fork, one thread) and returns messages/s per case. */
final class Decode {
    record Result(String shape, String message, double perSecond, double error) {}

    private Decode() {}

    static List<Result> run(boolean quick) throws Exception {
        Options options = new OptionsBuilder()
                .include(DecodeBenchmark.class.getName())
                .threads(1)
                .forks(quick ? 0 : 1)
                .warmupIterations(quick ? 0 : 3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(quick ? 1 : 5)
                .measurementTime(quick ? TimeValue.milliseconds(200) : TimeValue.seconds(2))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        List<Result> out = new ArrayList<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            out.add(new Result(
                    r.getParams().getParam("shape"),
                    method.substring(method.lastIndexOf('.') + 1).replace("decode", ""),
                    r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError()));
        }
        Bench.log("decode: " + out);
        return out;
    }
}

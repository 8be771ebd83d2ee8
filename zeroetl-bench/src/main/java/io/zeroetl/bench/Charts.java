package io.zeroetl.bench;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's PNG charts. */
final class Charts {
    private Charts() {}

    /** Changes applied per second, smoothed over 2 s, one line per system, the COPY limit as a flat line. */
    static void throughput(File file, EndToEnd.Result e2e) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (EndToEnd.Run run : e2e.runs()) {
            data.addSeries(series(
                    "zeroetl -> Redshift emulator, staged "
                            + switch (run.loader()) {
                                case S3 -> "through S3 + COPY";
                                case S3_PLAIN -> "through S3 + COPY, plain CSV";
                                case S3_ZSTD -> "through S3 + COPY, Zstandard";
                                case INSERT -> "by INSERTs";
                            },
                    smooth(run.series())));
        }
        data.addSeries(series("Debezium embedded + JDBC sink -> PostgreSQL", smooth(e2e.debeziumSeries())));
        double longest =
                e2e.runs().stream().mapToDouble(EndToEnd.Run::seconds).max().orElse(1);
        XYSeries limit = new XYSeries("COPY of the final rows (the limit), rows/s");
        limit.add(0, e2e.finalRows() / e2e.copySeconds());
        limit.add(longest, e2e.finalRows() / e2e.copySeconds());
        data.addSeries(limit);
        JFreeChart chart = ChartFactory.createXYLineChart(
                "End to end: row changes applied per second",
                "seconds",
                "changes/s",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        ChartUtils.saveChartAsPNG(file, chart, 900, 450);
    }

    /** A moving average over 4 samples (2 s at the runs' 0.5 s sampling). */
    private static List<double[]> smooth(List<double[]> points) {
        List<double[]> smooth = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, i - 3); j <= i; j++) {
                sum += points.get(j)[1];
                n++;
            }
            smooth.add(new double[] {points.get(i)[0], sum / n});
        }
        return smooth;
    }

    static void latency(File file, List<Latency.Result> results) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Latency.Result r : results) {
            String series = "flushInterval " + r.flushInterval().toMillis() + " ms";
            data.addValue(r.p50(), series, "p50");
            data.addValue(r.p95(), series, "p95");
            data.addValue(r.p99(), series, "p99");
        }
        JFreeChart chart = ChartFactory.createBarChart(
                "Source commit to visible in the target at 5,000 changes/s",
                "percentile",
                "milliseconds",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        ChartUtils.saveChartAsPNG(file, chart, 900, 450);
    }

    private static XYSeries series(String name, List<double[]> points) {
        XYSeries s = new XYSeries(name);
        for (double[] p : points) {
            s.add(p[0], p[1]);
        }
        return s;
    }
}

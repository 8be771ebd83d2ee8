package io.zeroetl.bench;

import java.io.File;
import java.io.IOException;
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
    private Charts() {
    }

    static void throughput(File file, List<double[]> zeroetl, List<double[]> debezium) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series("zeroetl -> Redshift emulator", zeroetl));
        data.addSeries(series("Debezium embedded + JDBC sink -> PostgreSQL", debezium));
        JFreeChart chart = ChartFactory.createXYLineChart("End to end: row changes applied per second", "seconds",
                "changes/s", data, PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(file, chart, 900, 450);
    }

    static void latency(File file, List<Latency.Result> results) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Latency.Result r : results) {
            String series = "flushInterval " + r.flushInterval().toMillis() + " ms";
            data.addValue(r.p50(), series, "p50");
            data.addValue(r.p95(), series, "p95");
            data.addValue(r.p99(), series, "p99");
        }
        JFreeChart chart = ChartFactory.createBarChart("Source commit to visible in the target at 5,000 changes/s",
                "percentile", "milliseconds", data, PlotOrientation.VERTICAL, true, false, false);
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

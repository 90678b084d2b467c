package trm4j.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import trm4j.Outputs;
import trm4j.metrics.MetricsLine;

/** Line charts (JFreeChart) of run metrics, one line per run, written as PNG. */
public final class Charts {
    private Charts() {}


    /**
     * One chart: for each run, the points (x(line), y(line)) of the lines {@code pick} selects; runs
     * that differ only by seed ({@link SeedGroup}) draw as their mean with a band of one standard
     * deviation.
     */
    public static <L extends MetricsLine> void lines(Path png, String title, RunMetrics.Axis axis, String yLabel, List<RunMetrics> runs,
                                                     Function<RunMetrics, List<L>> pick, ToDoubleFunction<L> y) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        for (SeedGroup g : SeedGroup.of(runs)) {
            if (g.runs().size() > 1) {
                YIntervalSeries s = new YIntervalSeries(g.name() + " (" + g.runs().get(0).method() + ", mean +- sd of " + g.runs().size() + " seeds)");
                for (SeedGroup.Point p : g.curve(pick, y, axis))
                    if (Double.isFinite(p.mean()) && (axis != RunMetrics.Axis.CALLS || p.x() > 0)) s.add(p.x(), p.mean(), p.mean() - p.sd(), p.mean() + p.sd());
                bands.addSeries(s);
                continue;
            }
            RunMetrics r = g.runs().get(0);
            XYSeries s = new XYSeries(r.name() + " (" + r.method() + ")", false, true);
            for (L line : pick.apply(r)) {
                double x = r.x(line, axis), v = y.applyAsDouble(line);
                if (Double.isFinite(v) && (axis != RunMetrics.Axis.CALLS || x > 0)) s.add(x, v);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, axis.label, yLabel, data);
        XYPlot plot = chart.getXYPlot();
        if (bands.getSeriesCount() > 0) {
            DeviationRenderer band = new DeviationRenderer(true, false);
            band.setAlpha(0.25f);
            plot.setDataset(1, bands);
            plot.setRenderer(1, band);
            // Each band in its line's colour: the plot hands out the colours, so only once the renderer is on it.
            for (int i = 0; i < bands.getSeriesCount(); i++) band.setSeriesFillPaint(i, band.lookupSeriesPaint(i));
        }
        boolean points = (data.getSeriesCount() > 0 && data.getItemCount(0) > 0) || (bands.getSeriesCount() > 0 && bands.getItemCount(0) > 0);
        if (axis == RunMetrics.Axis.CALLS && points) {
            LogarithmicAxis log = new LogarithmicAxis(axis.label);
            log.setAllowNegativesFlag(false);
            plot.setDomainAxis(log);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, pick.apply(runs.get(0)).size() < 40);
        plot.setRenderer(0, renderer);
        if (yLabel.equals("accuracy")) accuracyAxis(plot);
        save(png, chart);
    }

    /** A chart as a PNG, written atomically (a full disk leaves no 0-byte image). */
    private static void save(Path png, JFreeChart chart) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(b, chart, 800, 480);
        Outputs.writeAtomically(png, b.toByteArray());
    }

    /**
     * Accuracies from 0 to a little above the best value (at least 0.05, at most 1): a run that
     * scores 0 everywhere draws a flat line at 0 instead of an axis of -5e-9..5e-9, and small ARC
     * scores stay readable.
     */
    private static void accuracyAxis(XYPlot plot) {
        double max = 0;
        for (int d = 0; d < plot.getDatasetCount(); d++) {
            var set = plot.getDataset(d);
            if (set == null) continue;
            for (int s = 0; s < set.getSeriesCount(); s++)
                for (int i = 0; i < set.getItemCount(s); i++)
                    max = Math.max(max, set instanceof IntervalXYDataset band ? band.getEndYValue(s, i) : set.getYValue(s, i));
        }
        plot.getRangeAxis().setRange(0, Math.min(1.0, Math.max(0.05, max * 1.1)));
    }

    /** Accuracy after each supervision step (x = step s), one line per run: {@link RunMetrics#lastStepCurve}. */
    public static void stepCurve(Path png, String title, List<RunMetrics> runs) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunMetrics r : runs) {
            XYSeries s = new XYSeries(r.name() + " (" + r.method() + ")");
            List<Double> c = r.lastStepCurve();
            for (int i = 0; i < c.size(); i++) s.add(i + 1, c.get(i));
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "supervision step", "accuracy", data);
        chart.getXYPlot().setRenderer(new XYLineAndShapeRenderer(true, true));
        accuracyAxis(chart.getXYPlot());
        save(png, chart);
    }
}

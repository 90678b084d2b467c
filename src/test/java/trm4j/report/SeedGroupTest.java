package trm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.metrics.MetricsFile;
import trm4j.metrics.MetricsLine;

/** Runs that differ by seed form a group: mean and standard deviation per evaluation, and a band in the charts. */
class SeedGroupTest {
    private static MetricsLine.Evaluation eval(String json) {
        return (MetricsLine.Evaluation) MetricsFile.parse(json, "test");
    }

    private static RunMetrics run(String name, double... accuracies) {
        List<MetricsLine.Evaluation> evals = new ArrayList<>();
        List<MetricsLine.Training> train = new ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) {
            evals.add(eval("{\"step\": " + (i + 1) * 10 + ", \"calls\": " + (i + 1) * 30 + ", \"wall_s\": " + i
                    + ", \"eval\": {\"count\": 10, \"exact_acc\": " + accuracies[i] + ", \"token_acc\": 0.5}}"));
            train.add((MetricsLine.Training) MetricsFile.parse("{\"step\": " + (i + 1) * 10 + ", \"position\": 0, \"loss\": " + (1.0 / (i + 1))
                    + ", \"ce\": 1, \"lr\": 0.001, \"calls_grad\": 3, \"calls_nograd\": 0, \"samples\": 0, \"samples_per_s\": 1, \"wall_s\": 1}", "test"));
        }
        return new RunMetrics(name, "dis", 4, train, evals);
    }

    @Test
    void seedsGroupWithMeanAndStandardDeviation(@TempDir Path dir) throws Exception {
        List<RunMetrics> runs = List.of(run("dis-seed0", 0.2, 0.4), run("dis-seed1", 0.4, 0.8), run("dis_seed2", 0.3, 0.6), run("trm", 0.1, 0.1));
        List<SeedGroup> groups = SeedGroup.of(runs);
        assertEquals(List.of("dis", "trm"), groups.stream().map(SeedGroup::name).toList());
        assertEquals(3, groups.get(0).runs().size());
        List<SeedGroup.Point> curve = groups.get(0).curve(RunMetrics::evals, RunMetrics::accuracy, RunMetrics.Axis.STEP);
        assertEquals(20, curve.get(1).x(), 1e-12);
        assertEquals(0.6, curve.get(1).mean(), 1e-12);
        assertEquals(0.2, curve.get(1).sd(), 1e-12);   // sample sd of 0.4, 0.8, 0.6
        assertTrue(groups.get(0).summary().endsWith("3 seeds, test accuracy mean 0.600, sd 0.200"), groups.get(0).summary());
        String mixed = SeedGroup.of(List.of(run("dis-seed0", 0.2, 0.4), run("dis-seed1", 0.4))).get(0).summary();
        assertTrue(mixed.endsWith("; their last steps differ (20, 10): the mean mixes runs of different lengths"), mixed);
        double[] last = groups.get(0).finalAccuracy();
        assertEquals(0.6, last[0], 1e-12);
        assertEquals(0.2, last[1], 1e-12);
        assertEquals(3, last[2]);
        Path page = HtmlReport.write(runs, dir, List.of());
        String html = Files.readString(page);
        assertTrue(html.contains("<td>dis</td><td>3</td><td>0.600</td><td>0.200</td>"), html);
        // The band: the group's mean is drawn with a shaded interval of +-sd in its line's colour (the first series' red),
        // a large area where a line alone is thin.
        int band = tinted(dir.resolve("accuracy-step.png"));
        assertTrue(band > 20_000, "band pixels: " + band);
    }

    @Test
    void aReportOfSeedGroupsAloneDrawsEveryChart(@TempDir Path dir) throws Exception {
        HtmlReport.write(List.of(run("dis-seed0", 0.2, 0.4), run("dis-seed1", 0.4, 0.8)), dir, List.of());
        for (String axis : new String[] {"step", "calls", "wall"})
            assertTrue(tinted(dir.resolve("accuracy-" + axis + ".png")) > 5_000, axis + ": the group's band is drawn");
    }

    @Test
    void aRunWithValidationPuzzlesScoresItsTestSet() {
        MetricsLine.Evaluation last = eval("{\"step\": 10, \"calls\": 30, \"wall_s\": 1, \"eval\": {\"count\": 9, \"exact_acc\": 0.5, \"token_acc\": 1, "
                + "\"split\": \"validation\", \"test\": {\"count\": 8, \"exact_acc\": 0.25, \"token_acc\": 1}}}");
        RunMetrics r = new RunMetrics("v", "dis", 4, List.of(), List.of(last));
        assertEquals(0.5, RunMetrics.accuracy(last), 1e-12, "the curves follow the validation puzzles");
        assertEquals(0.25, r.finalAccuracy(), 1e-12, "the final score is the test set's");
    }

    /** Pixels in the first series' red: the band of a seed group, or a line. */
    private static int tinted(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        int n = 0;
        for (int x = 0; x < img.getWidth(); x++)
            for (int y = 0; y < img.getHeight(); y++) {
                int c = img.getRGB(x, y), r = (c >> 16) & 255, g = (c >> 8) & 255, b = c & 255;
                if (r > g + 40 && r > b + 40) n++;
            }
        return n;
    }
}

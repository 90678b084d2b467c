package trm4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import trm4j.config.DataConfig;
import trm4j.config.Presets;
import trm4j.data.Datasets;
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.Device;
import trm4j.train.ImprovementPath;

/** The training data's rates on one thread: the stream (a background thread in training) and the DIS paths (the training thread). */
public final class DataBench {
    private DataBench() {}

    public record Result(int cells, double streamPerSecond, double pathsPerSecond) {}

    /** The lines printed for a preset's data, {@code overrides} applied. */
    public static String report(String preset, Map<String, String> overrides, int samples) {
        var doc = Presets.load(preset, overrides);
        DataConfig dc = Presets.dataOf(doc, "preset " + preset);
        int nSup = Presets.modelOf(doc, "preset " + preset).nSup();
        Result r = run(Datasets.load(dc).train(), samples, nSup);
        return Machine.header(Device.CPU) + String.format("data preset=%s kind=%s: %d samples of %d cells%n", preset, dc.kind(), samples, r.cells())
                + String.format("stream  %.0f samples/s (one thread, background during training)%n", r.streamPerSecond())
                + String.format("paths   %.0f samples/s (DIS, %d frames each, on the training thread)%n", r.pathsPerSecond(), nSup + 1);
    }

    public static Result run(TrainingSet stream, int samples, int nSup) {
        List<Sample> drawn = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < samples; i++) drawn.add(stream.get(i));
        double streamS = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        Random rnd = new Random(0);
        for (Sample x : drawn) ImprovementPath.frames(x.input(), x.label(), nSup, rnd);
        double pathS = (System.nanoTime() - t0) / 1e9;
        return new Result(drawn.get(0).input().length, samples / streamS, samples / pathS);
    }
}

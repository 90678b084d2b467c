package trm4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.train.ImprovementPath;

/** The training data's rates on one thread: the stream (a background thread in training) and the DIS paths (the training thread). */
public final class DataBench {
    private DataBench() {}

    public record Result(int cells, double streamPerSecond, double pathsPerSecond) {}

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

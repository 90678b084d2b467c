package trm4j.bench;

import java.util.Arrays;

import trm4j.engine.Device;
import trm4j.engine.Threads;

/**
 * Median wall time of repeated runs, after warm-up; the threads follow the load between runs, as in
 * training. On a GPU each run is timed from an idle device until the device has finished it.
 */
public final class Timer {
    private Timer() {}

    public static double medianMillis(Device d, int warmup, int iterations, Runnable body) {
        for (int i = 0; i < warmup; i++) body.run();
        d.synchronize();
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            Threads.adapt();
            long t0 = System.nanoTime();
            body.run();
            d.synchronize();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return iterations % 2 == 1 ? ms[iterations / 2] : (ms[iterations / 2 - 1] + ms[iterations / 2]) / 2;
    }
}

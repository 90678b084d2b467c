package trm4j.train;

import trm4j.config.TrainConfig;

/** Linear warm-up to the peak, then constant (the references) or a cosine decay to 0. */
public record LearningRate(double peak, long warmup, boolean cosine, long total) {
    public static LearningRate of(TrainConfig c, double peak) {
        return new LearningRate(peak, c.warmup(), c.schedule() == TrainConfig.Schedule.COSINE, c.steps());
    }

    /** The rate of optimiser step {@code step} (0-based), as the references' schedule gives it for step + 1. */
    public double at(long step) {
        if (step < warmup) return peak * (step + 1) / warmup;
        if (!cosine) return peak;
        double progress = (double) (step + 1 - warmup) / Math.max(1, total - warmup);
        return peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}

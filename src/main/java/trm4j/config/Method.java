package trm4j.config;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import trm4j.UserError;

/**
 * How a run supervises its steps (docs/METHOD.md): {@link Trm}, deep supervision with a learned
 * halting head, or {@link Dis}, a target for every supervision step. Each owns its options and
 * answers what the rest of the code asks of the method. In a preset: {@code "method": {"kind":
 * "dis", "feed": "prediction", ...}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Method.Trm.class, name = "trm"), @JsonSubTypes.Type(value = Method.Dis.class, name = "dis")})
public sealed interface Method {
    /** EMA decay of the weights evaluation uses (0 = off). */
    double ema();

    /** Whether step s > 1 sees the previous step's prediction instead of the input. */
    boolean feedsPrediction();

    /** Whether the halting head was trained: its sigmoid(q_halt) is then the confidence voting breaks ties with. */
    boolean trainsHalting();

    /** "trm" or "dis", as presets, metrics and the API name it. */
    String id();

    /** Refuses, in one line naming {@code where}, a model this method cannot train. */
    default void fits(ModelConfig model, String where) {}

    /** The optimiser steps one batch of samples takes: TRM refills halted rows at every step; DIS supervises a batch N_sup times. */
    default int stepsPerBatch(ModelConfig model) { return 1; }

    /** The preset every preset of this method extends (its defaults). */
    default String presetBase() { return presetBase(id()); }

    static String presetBase(String id) { return "base/" + id; }

    /** The methods' names, as presets write {@code "kind"}: the types Jackson knows. */
    static List<String> ids() {
        return Arrays.stream(Method.class.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name).toList();
    }

    /**
     * The one dispatch on the kind of method: {@code trm} for TRM, {@code dis} for DIS. A new
     * kind adds a parameter here, and the compiler then finds every place that must handle it.
     */
    <R> R match(Function<Trm, R> trm, Function<Dis, R> dis);

    /**
     * TRM (docs/METHOD.md section 4): every step against the answer, plus {@code qLossWeight} x
     * BCE(q_halt, "the whole answer is right"); a row halts after N_sup steps or when q_halt > 0
     * (after a minimum of U{2..N_sup} steps drawn with probability {@code haltExploration}).
     */
    record Trm(@JsonProperty("q_loss_weight") double qLossWeight, @JsonProperty("halt_exploration") double haltExploration,
               @JsonProperty("ema") double ema) implements Method {
        public Trm {
            if (!(haltExploration >= 0 && haltExploration <= 1)) throw new UserError("train.method.halt_exploration " + haltExploration + ": must be in [0, 1]");
            if (!(qLossWeight >= 0) || qLossWeight == Double.POSITIVE_INFINITY)
                throw new UserError("train.method.q_loss_weight " + qLossWeight + ": must be a finite number, at least 0");
            checkEma(ema);
        }

        @Override public boolean feedsPrediction() { return false; }
        @Override public boolean trainsHalting() { return true; }
        @Override public String id() { return "trm"; }

        @Override public void fits(ModelConfig model, String where) {
            if (model.stepEmbedding())
                throw new UserError(where + ": model.step_embedding is DIS's conditioning on the supervision step, which TRM does not have: "
                        + "set step_embedding=false");
        }
        @Override public <R> R match(Function<Trm, R> trm, Function<Dis, R> dis) { return trm.apply(this); }
    }

    /**
     * DIS (docs/METHOD.md section 5): step s is trained against frame s of the sample's improvement path,
     * with no halting; its input is the previous step's prediction ({@link Feed#PREDICTION}, the
     * reference code) or the original input ({@link Feed#INPUT}, the paper).
     */
    record Dis(@JsonProperty("feed") Feed feed, @JsonProperty("step_weights") StepWeights stepWeights,
               @JsonProperty("ema") double ema) implements Method {
        public Dis {
            if (feed == null) throw new UserError("train.method.feed: required (prediction or input)");
            if (stepWeights == null) throw new UserError("train.method.step_weights: required (equal or linear)");
            checkEma(ema);
        }

        @Override public boolean feedsPrediction() { return feed == Feed.PREDICTION; }
        @Override public boolean trainsHalting() { return false; }
        @Override public String id() { return "dis"; }
        @Override public int stepsPerBatch(ModelConfig model) { return model.nSup(); }
        @Override public <R> R match(Function<Trm, R> trm, Function<Dis, R> dis) { return dis.apply(this); }

        /** The cross-entropy weight of step s = 1..N_sup: 1, or 2s/(N_sup+1) for the paper's linear variant. */
        public double weight(int s, int nSup) {
            return stepWeights == StepWeights.LINEAR ? 2.0 * s / (nSup + 1) : 1.0;
        }
    }

    enum Feed { @JsonProperty("prediction") PREDICTION, @JsonProperty("input") INPUT }

    enum StepWeights { @JsonProperty("equal") EQUAL, @JsonProperty("linear") LINEAR }

    private static void checkEma(double ema) {
        if (!(ema >= 0 && ema < 1)) throw new UserError("train.method.ema " + ema + ": must be in [0, 1) (0 turns it off)");
    }
}

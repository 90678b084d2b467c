package trm4j.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.UserError;

/**
 * A run folder's metrics as series: training lines (loss, accuracy) and evaluation lines, each with
 * the three x-axes a comparison needs: optimiser steps, network calls per sample so far (calls
 * times the batch, over the training stream's samples), and wall time.
 */
public record RunMetrics(String name, String method, int batch, List<JsonNode> train, List<JsonNode> evals) {

    public static RunMetrics read(Path dir) {
        Path metrics = dir.resolve("metrics.jsonl"), preset = dir.resolve("preset.json");
        if (!Files.isRegularFile(metrics)) throw new UserError(dir + ": no metrics.jsonl (is it a 'trm4j train' run folder?)");
        List<JsonNode> train = new ArrayList<>(), evals = new ArrayList<>();
        try {
            JsonNode p = Files.isRegularFile(preset) ? trm4j.config.Json.MAPPER.readTree(preset.toFile()) : trm4j.config.Json.MAPPER.createObjectNode();
            int n = 0;
            for (String line : Files.readAllLines(metrics)) {
                n++;
                if (line.isBlank()) continue;
                JsonNode j;
                try {
                    j = trm4j.config.Json.MAPPER.readTree(line);
                } catch (IOException e) {
                    throw new UserError(metrics + ": line " + n + " is not JSON");
                }
                if (j.has("engine")) continue;   // what the run computed with, not a measurement
                (j.has("eval") ? evals : train).add(j);
            }
            return new RunMetrics(dir.getFileName().toString(), p.path("train").path("method").asText("?"),
                    p.path("train").path("batch").asInt(1), train, evals);
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new UserError(dir + ": " + why);
        }
    }

    /** The x value of a line on an axis: "step", "calls" (network calls x batch) or "wall" (seconds). */
    public double x(JsonNode line, String axis) {
        switch (axis) {
            case "step": return line.path("step").asDouble();
            case "wall": return line.path("wall_s").asDouble();
            default:
                double calls = line.has("calls") ? line.path("calls").asDouble()
                        : line.path("calls_grad").asDouble() + line.path("calls_nograd").asDouble();
                return calls * batch;
        }
    }

    /** The accuracy an evaluation line reports: pass@2 for ARC, exact accuracy for puzzles. */
    public static double accuracy(JsonNode evalLine) {
        JsonNode e = evalLine.path("eval");
        return e.has("pass@2") ? e.path("pass@2").asDouble() : e.path("exact_acc").asDouble();
    }

    /** The run's final score: the test set's at the last evaluation when the run held out validation puzzles, else that evaluation's. */
    public double finalAccuracy() {
        JsonNode last = evals.get(evals.size() - 1), test = last.path("eval").path("test");
        return test.isMissingNode() ? accuracy(last) : test.has("pass@2") ? test.path("pass@2").asDouble() : test.path("exact_acc").asDouble();
    }

    /** The first evaluation line whose accuracy reaches {@code target}, or null. */
    public JsonNode firstReaching(double target) {
        for (JsonNode e : evals) if (accuracy(e) >= target) return e;
        return null;
    }

    /** The per-supervision-step accuracy of the last evaluation. */
    public List<Double> lastStepCurve() {
        List<Double> out = new ArrayList<>();
        if (evals.isEmpty()) return out;
        JsonNode e = evals.get(evals.size() - 1).path("eval");
        JsonNode curve = e.has("step_pass@2") ? e.path("step_pass@2") : e.path("step_acc");
        curve.forEach(v -> out.add(v.asDouble()));
        return out;
    }
}

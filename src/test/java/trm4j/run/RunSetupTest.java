package trm4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import trm4j.config.Presets;

class RunSetupTest {
    /** Every built-in preset sets up on its own defaults: its data is generated (or read from the sample) and fits its model. */
    @Test
    void everyPresetSetsUpOnItsDefaults() {
        for (String name : Presets.names()) {
            RunSetup run = RunSetup.of(Presets.load(name, Map.of()), "preset " + name, null);
            assertTrue(run.data().train().epochSize() > 0 && !run.data().test().isEmpty(), name);
        }
    }

    /** Epochs count samples: a DIS batch takes N_sup optimiser steps, a TRM step one batch; either way the run ends between batches. */
    @Test
    void epochsBecomeWholeBatchesOfTheMethodsSteps() {
        Map<String, String> set = Map.of("epochs", "3", "batch", "64", "data.train", "100", "N_sup", "5");
        RunSetup dis = RunSetup.of(Presets.load("demo", set), "preset demo", null);
        long epoch = dis.data().train().epochSize(), batches = (3 * epoch + 63) / 64;
        assertEquals(batches * 5, dis.train().steps(), "epoch " + epoch);
        Map<String, String> trm = new HashMap<>(set);
        trm.put("method", "trm");
        trm.put("step_embedding", "false");
        assertEquals(batches, RunSetup.of(Presets.load("demo", trm), "preset demo", null).train().steps());
    }
}

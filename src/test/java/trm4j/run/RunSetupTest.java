package trm4j.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
}

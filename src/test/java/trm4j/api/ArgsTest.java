package trm4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A null where the API needs a value is its typed exception naming the argument, before any work. */
class ArgsTest {
    @Test
    void aNullArgumentIsNamed() {
        assertEquals("file: required (null given)", assertThrows(InvalidInputException.class, () -> Model.load(null, LoadOptions.defaults())).getMessage());
        assertEquals("options: required (null given)", assertThrows(InvalidInputException.class, () -> Model.load(Path.of("x"), null)).getMessage());
        assertEquals("spec: required (null given)", assertThrows(InvalidInputException.class, () -> Training.prepare(null)).getMessage());
        assertEquals("listener: required (null given)",
                assertThrows(InvalidInputException.class, () -> Training.prepare(TrainingSpec.of("demo", Path.of("x")), null)).getMessage());
        assertEquals("json: required (null given)", assertThrows(InvalidInputException.class, () -> ArcTask.parse(null, "x")).getMessage());
        assertEquals("path: required (null given)", assertThrows(InvalidInputException.class, () -> ArcTask.readAll(null)).getMessage());
        assertEquals("solutions: required (null given)", assertThrows(InvalidInputException.class, () -> Model.submission(null)).getMessage());
        assertEquals("solutions[1]: null", assertThrows(InvalidInputException.class,
                () -> Model.submission(Arrays.asList(new ArcSolution("t", List.of(), 0), null))).getMessage());
    }

    /** A null inside a list or map the API is given is named where it is, as a null argument is. */
    @Test
    void aNullInsideAnArgumentIsNamed() {
        Map<String, String> nullKey = new HashMap<>(), nullValue = new HashMap<>();
        nullKey.put(null, "3");
        nullValue.put("lr", null);
        assertEquals("TrainingSpec.overrides: a null key",
                assertThrows(InvalidInputException.class, () -> TrainingSpec.of("demo", Path.of("x")).withOverrides(nullKey)).getMessage());
        assertEquals("LoadOptions.overrides: lr: a null value",
                assertThrows(InvalidInputException.class, () -> LoadOptions.defaults().withOverrides(nullValue)).getMessage());
        ArcTask.Example pair = new ArcTask.Example(new int[][] {{1}}, new int[][] {{2}});
        assertEquals("task t: train[1]: null",
                assertThrows(InvalidInputException.class, () -> new ArcTask("t", Arrays.asList(pair, null), List.of(pair))).getMessage());
        assertEquals("task t: test[0]: null",
                assertThrows(InvalidInputException.class, () -> new ArcTask("t", List.of(pair), Arrays.asList((ArcTask.Example) null))).getMessage());
    }

    /** The jar's sample gives every task it holds of a set, a set of several folders too (ConceptARC: its corpus), and names the sets it lacks. */
    @Test
    void theSampleInTheJarGivesEachSetItHolds() {
        assertEquals(16, ArcTask.sample("conceptarc").size());
        assertEquals(56, ArcTask.sample("arc-agi-1").size(), "40 training and 16 evaluation tasks");
        assertEquals(48, ArcTask.sample("mini-arc").size());
        String lacks = assertThrows(InvalidInputException.class, () -> ArcTask.sample("arc-agi-2")).getMessage();
        assertTrue(lacks.startsWith("ArcTask.sample: arc-agi-2: the sample in trm4j's jar holds arc-agi-1, conceptarc and mini-arc only"), lacks);
    }
}

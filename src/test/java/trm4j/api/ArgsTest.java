package trm4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

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
    }
}

package trm4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The API's kinds: one instance per name, built-in or found on the class path, and a javadoc that says what each kind says of its boards. */
class TaskKindTest {
    @Test
    void aNameGivesItsOneKindAndAnUnknownOneALineNamingTheKnown() {
        assertSame(TaskKind.SUDOKU, TaskKind.of("sudoku"));
        assertSame(TaskKind.ARC, TaskKind.of("arc"));
        assertSame(TaskKind.of("flip"), TaskKind.of("flip"), "the kind the test sources add, once");
        assertEquals("bits 0 and 1; answers flip every bit", TaskKind.of("flip").description());
        assertTrue(TaskKind.SUDOKU.description(4).endsWith("the digit 1..4"), TaskKind.SUDOKU.description(4));
        assertEquals("side 0: must be in 1..64 (a board's rows)", assertThrows(InvalidInputException.class, () -> TaskKind.SUDOKU.description(0)).getMessage());
        assertEquals("unknown task kind 'chess' (known: sudoku, maze, nqueens, arc, flip)",
                assertThrows(InvalidInputException.class, () -> TaskKind.of("chess")).getMessage());
    }

    @Test
    void theJavadocOfEachConstantSaysItsDescription() throws Exception {
        String source = Files.readString(Path.of("src/main/java/trm4j/api/TaskKind.java"));
        for (Map.Entry<String, TaskKind> e : Map.of("SUDOKU", TaskKind.SUDOKU, "MAZE", TaskKind.MAZE, "NQUEENS", TaskKind.NQUEENS, "ARC", TaskKind.ARC).entrySet()) {
            Matcher m = Pattern.compile("/\\*\\* ([^*]*) \\*/\\s+public static final TaskKind " + e.getKey() + " ").matcher(source);
            assertTrue(m.find(), e.getKey() + " has a javadoc");
            assertTrue(m.group(1).endsWith(e.getValue().description() + "."), e.getKey() + ": '" + m.group(1) + "' against '" + e.getValue().description() + "'");
        }
    }
}

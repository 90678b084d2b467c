package trm4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's library section as a reader pastes it: the install step is there, and the program compiles as written, imports and all. */
class ReadmeTest {
    @Test
    void theLibrarySectionCompilesAsPasted(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## As a library"), readme.indexOf("\n## ", readme.indexOf("## As a library") + 3));
        assertTrue(section.contains("`mvn install`"), "the step that puts the artifact where Maven finds it");
        String code = section.substring(section.indexOf("```java\n") + 8, section.indexOf("```", section.indexOf("```java\n") + 8));
        Path file = dir.resolve("Demo.java");
        Files.writeString(file, code);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path")), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(file)).call();
        assertTrue(ok, errors.toString());
        assertEquals("", errors.toString(), "no warnings either");
    }
}

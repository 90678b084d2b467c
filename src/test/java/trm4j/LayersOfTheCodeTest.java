package trm4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The packages are floors (README, "How it is built"): a class may use its own floor and those below, never one above. */
class LayersOfTheCodeTest {
    private static final List<String> FLOORS = List.of("trm4j", "engine", "config", "data", "model", "checkpoint", "metrics", "train", "eval", "report",
            "bench", "run", "api", "serve", "cli");
    private static final Pattern USE = Pattern.compile("\\btrm4j\\.(\\w+)\\.[A-Z]");

    @Test
    void nothingUsesAFloorAboveItsOwn() throws Exception {
        Path root = Path.of("src/main/java/trm4j");
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = root.relativize(f);
                String floor = rel.getNameCount() == 1 ? "trm4j" : rel.getName(0).toString();
                Matcher m = USE.matcher(Files.readString(f));
                while (m.find())
                    if (FLOORS.indexOf(m.group(1)) > FLOORS.indexOf(floor)) upward.add(rel + " uses " + m.group(1));
            }
        }
        assertEquals(List.of(), upward.stream().distinct().toList());
    }
}

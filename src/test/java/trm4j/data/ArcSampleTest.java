package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.config.DataConfig;
import trm4j.config.Presets;

/**
 * The ARC sample that ships in the jar (resources/trm4j/arc-sample): public files with their
 * licences, small, and enough for every ARC preset, read from a folder and from a jar alike.
 */
public class ArcSampleTest {
    /** The sample as a folder of this repository: tests that need task files as paths read them here. */
    public static final Path FOLDER = Path.of("src/main/resources/trm4j/arc-sample");

    /** Every task is, byte for byte, a file of the pinned set it is filed under (its pinned SHA-256), and each set has its licence. */
    @Test
    void everyFileIsAPinnedFileOfItsSetAndEachSetHasItsLicence() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(FOLDER)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        long bytes = 0;
        int tasks = 0;
        for (Path f : files) {
            bytes += Files.size(f);
            Path rel = FOLDER.relativize(f);
            if (!f.toString().endsWith(".json")) continue;
            String set = rel.getName(0).toString(), key = rel.subpath(1, rel.getNameCount()).toString().replace('\\', '/');
            assertEquals(Downloads.source(set).sha256().get(key), Downloads.sha256(Files.readAllBytes(f)), rel.toString());
            tasks++;
        }
        assertEquals(40 + 16 + 16 + 48, tasks, "the sample's README counts");
        for (String set : List.of("arc-agi-1", "conceptarc", "mini-arc"))
            assertTrue(Files.readString(FOLDER.resolve(set).resolve("LICENSE")).contains(set.equals("conceptarc") ? "MIT License" : "Apache License"), set);
        assertTrue(bytes < 300_000, bytes + " bytes: the sample stays small");
    }

    /** The ARC presets, on their defaults, train and test on the sample: each has training tasks and test tasks to score. */
    @Test
    void everyArcPresetReadsItsDataFromTheSample() {
        int arc = 0;
        for (String name : Presets.names()) {
            DataConfig d = Presets.dataOf(Presets.load(name, Map.of()), name);
            if (!(d instanceof DataConfig.Arc a)) continue;
            assertEquals(ArcSets.SAMPLE, a.root(), name);
            Datasets.Data data = Datasets.load(d);
            assertTrue(data.train().epochSize() > 0 && !data.test().isEmpty(), name);
            arc++;
        }
        assertEquals(7, arc, "trm-arc*, dis-arc-*, *-miniarc-cpu");
    }

    /** From the jar (as ./trm4j and a library user run it) the sample reads as it does from the folder: the jar's file system serves it. */
    @Test
    void theSampleReadsFromAJarAsFromAFolder(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("trm4j.jar");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(FOLDER.resolve("mini-arc"))) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        files.add(FOLDER.resolve("README.md"));
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Path f : files) {
                z.putNextEntry(new ZipEntry("trm4j/arc-sample/" + FOLDER.relativize(f).toString().replace('\\', '/')));
                z.write(Files.readAllBytes(f));
            }
        }
        Path inJar = ArcSets.folderOf(URI.create("jar:" + jar.toUri() + "!/trm4j/arc-sample/README.md"));
        assertEquals("jar", inJar.toUri().getScheme());
        List<ArcTask> fromJar = ArcSets.read("mini-arc", inJar, "root").get("MiniARC").orThrow(), fromFolder = ArcSets.read("mini-arc", FOLDER, "root").get("MiniARC").orThrow();
        assertEquals(48, fromJar.size());
        for (int i = 0; i < fromFolder.size(); i++) {
            assertEquals(fromFolder.get(i).id(), fromJar.get(i).id());
            assertEquals(fromFolder.get(i).test(), fromJar.get(i).test());
        }
    }

    /** Data that is not there is one line that names both ways to it: `data download` (or --from), and the setting that points elsewhere. */
    @Test
    void missingDataSaysHowToGetIt(@TempDir Path dir) {
        DataError none = assertThrows(DataError.class, () -> ArcSets.root(dir.resolve("nowhere").toString(), "data.root", "arc-agi-1"));
        assertTrue(none.getMessage().startsWith("data.root " + dir.resolve("nowhere") + ": no such folder"), none.getMessage());
        for (String says : List.of("'trm4j data download arc-agi-1'", "--from", "--set root=data", "override root", "root=FOLDER", "root=sample"))
            assertTrue(none.getMessage().contains(says), says + ": " + none.getMessage());
        assertFalse(none.getMessage().contains("\n"));

        List<String> errors = ArcSets.read("arc-agi-2", ArcSets.sample(), "data.root").get("training").errors();
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("sample/arc-agi-2/training: no such folder (the sample in trm4j's jar holds arc-agi-1, conceptarc and mini-arc only; "
                + "'trm4j data download arc-agi-2' puts the set in data/"), errors.get(0));

        // The sample holds ConceptARC's corpus only: that is the set there, not a split gone missing.
        var concept = ArcSets.read("conceptarc", ArcSets.sample(), "data.root");
        assertEquals(List.of("corpus"), List.copyOf(concept.keySet()));
        assertEquals(List.of(), concept.get("corpus").errors());
        assertEquals(16, concept.get("corpus").tasks().size());

        DataError empty = assertThrows(DataError.class, () -> ArcSets.mix("arc-agi-1", dir, "data.root"));   // a folder without the sets
        assertTrue(empty.getMessage().contains("arc-agi-1/training: no such folder") && empty.getMessage().contains("'trm4j data download arc-agi-1'"),
                empty.getMessage());
    }
}

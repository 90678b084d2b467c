package trm4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.data.ArcReader;
import trm4j.data.ArcSets;
import trm4j.data.ArcTask;
import trm4j.data.DataError;
import trm4j.data.Downloads;
import trm4j.data.PuzzleKinds;
import trm4j.data.PuzzleSet;
import trm4j.data.Sudoku;
import trm4j.report.TaskImages;
import trm4j.run.Reporter;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Read, check, draw and generate datasets.")
final class DataCommand {
    @Command(name = "download", mixinStandardHelpOptions = true,
            description = {"Download a public ARC set, pinned to a commit and checked file by file against pinned SHA-256 sums.",
                    "The archive resumes after an interruption (run the command again); the set appears in DIR/NAME only once every "
                    + "file matched. Offline, --from takes the same archive fetched elsewhere, or a copy of the set's files. "
                    + "Train on it with --set root=DIR. Sudoku-Extreme and Maze-30x30-hard are not pinned yet."})
    void download(@Parameters(paramLabel = "NAME", description = "arc-agi-1, arc-agi-2 (its training split), conceptarc, 1d-arc or mini-arc") String name,
                  @Option(names = "--to", defaultValue = "data", paramLabel = "DIR", description = "the folder that --set root=DIR then names (default ${DEFAULT-VALUE})") Path to,
                  @Option(names = "--mirror", paramLabel = "URL", description = "a copy of " + Downloads.DEFAULT_HOST
                          + " (the same paths: URL/OWNER/REPO/zip/COMMIT); default: $" + Downloads.MIRROR_VARIABLE + ", else GitHub") String mirror,
                  @Option(names = "--from", paramLabel = "FILE.zip|FOLDER", description = "no download: the set from a copy at hand, checked the same way: "
                          + "the archive the download fetches (its address is in the error an offline download prints), or a folder holding the set's files "
                          + "(a clone of its repository, or the set's folder)") Path from) throws Exception {
        Reporter bars = Reporter.stderr();
        System.out.println(Downloads.get(name, to, "--to", mirror, from, (what, n, total, unit) -> bars.progress(what, n, total, unit, "")));
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Task, pair and grid-size counts of an ARC set; bad files are listed.")
    int stats(@Parameters(paramLabel = "SET", description = "arc-agi-1, arc-agi-2, conceptarc, mini-arc or 1d-arc") String set,
              @Option(names = "--root", defaultValue = ArcSets.SAMPLE, description = "folder holding the sets, as the presets' data.root "
                      + "(default ${DEFAULT-VALUE}: the sample in trm4j's jar; data after 'trm4j data download')") String root) {
        ArcSets.Stats stats = ArcSets.stats(set, ArcSets.root(root, "--root", set), "--root");
        System.out.print(stats.table());
        for (String err : stats.errors()) System.err.println("trm4j: " + err);
        if (stats.errors().isEmpty()) return 0;
        System.err.println("trm4j: " + stats.errors().size() + " bad " + (stats.errors().size() == 1 ? "file" : "files") + " in " + set);
        return Main.USER_ERROR;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Draw an ARC task in the terminal (ANSI colours) or as a PNG, or print "
            + "the first puzzles of a set from 'trm4j data generate'.")
    void show(@Parameters(paramLabel = "TASK.json|SET") Path file,
              @Option(names = "--png", paramLabel = "FILE", description = "write the task as an image instead") Path png,
              @Option(names = "--max-cols", defaultValue = "96", description = "longest row accepted (default ${DEFAULT-VALUE}, for 1D-ARC)") int maxCols,
              @Option(names = "--puzzles", paramLabel = "N", description = "a puzzle set's puzzles printed (default 3)") Integer puzzles) throws Exception {
        if (PuzzleSet.looksLike(file)) {
            if (png != null) throw new UserError("--png draws an ARC task; " + file + " is a puzzle set");
            if (puzzles != null && puzzles < 0) throw new UserError("--puzzles " + puzzles + ": must be at least 0");
            System.out.print(file + ": " + PuzzleSet.read(file).text(puzzles == null ? 3 : puzzles));
            return;
        }
        if (puzzles != null) throw new UserError("--puzzles: for a puzzle set; " + file + " is read as an ARC task, whose pairs are all drawn");
        if (png != null) Outputs.file(png, "--png");
        ArcTask task;
        try {
            task = new ArcReader(maxCols).readTask(file, file.toString());
        } catch (DataError e) {
            if (!firstMark(file).matches("[0-9.#-]")) throw e;
            throw new UserError(file + ": neither an ARC task (a JSON object) nor a puzzle set from 'trm4j data generate'"
                    + " (a text file of boards is answered by 'trm4j solve --checkpoint RUN " + file + "')");
        }
        if (png != null) {
            TaskImages.write(TaskImages.pairs(task), png);
            System.out.println("wrote " + png);
        } else {
            // Colours on a terminal unless NO_COLOR is set (no-color.org); digits otherwise, so pipes stay readable.
            System.out.print(TaskImages.text(task, System.console() != null && System.getenv("NO_COLOR") == null));
        }
    }

    /** The first character of a file that is not a space, read as UTF-8 (empty for none, or for a file that cannot be read). */
    private static String firstMark(Path file) {
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (int c; (c = in.read()) >= 0; ) if (!Character.isWhitespace(c) && c != '\uFEFF') return Character.toString(c);
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a puzzle dataset file: sudoku, maze, nqueens, or a kind added on the class path (docs/EXTENDING.md). The same seed gives the same bytes.")
    void generate(@Parameters(paramLabel = "KIND", description = "sudoku, maze or nqueens") String kind,
                  @Option(names = "--count", required = true, description = "puzzles to generate") int count,
                  @Option(names = "--seed", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})") long seed,
                  @Option(names = "--out", required = true, paramLabel = "FILE", description = "the file to write: trm4j's binary puzzle-set format "
                          + "(a JSON header, then the inputs and labels as token bytes; read by 'train --train-file')") Path out,
                  @Option(names = "--size", description = "sudoku side 4, 6 or 9 (default 9); maze side 5..30 (default 30); N-Queens is 8x8") Integer size,
                  @Option(names = "--min-clues", description = "sudoku: stop removing clues at this count (default: as few as uniqueness allows)") Integer minClues,
                  @Option(names = "--min-effort", description = "sudoku: least solver search nodes a puzzle should need (default 0); each puzzle gets " + Sudoku.MOST_DRAWS
                          + " draws, and how many fell short is said") Long minEffort,
                  @Option(names = "--min-path", description = "maze: least steps of the shortest path (default 111 for 30x30: longer than 110, as the reference's Maze-Hard; else side^2 / 8)") Integer minPath) throws Exception {
        Outputs.file(out, "--out");
        Map<String, Long> options = new LinkedHashMap<>();   // those given, by name; the kind reads its own
        if (size != null) options.put("size", (long) size);
        if (minClues != null) options.put("min-clues", (long) minClues);
        if (minEffort != null) options.put("min-effort", minEffort);
        if (minPath != null) options.put("min-path", (long) minPath);
        PuzzleSet set = PuzzleKinds.generate(kind, count, seed, options);
        set.write(out);
        String shortOf = PuzzleKinds.of(kind, "kind").shortOf(set, options);
        if (shortOf != null) System.err.println("trm4j: " + shortOf);
        System.out.printf("wrote %s: %d %s puzzles, %dx%d, vocabulary %d%n", out, set.size(), set.kind().name(), set.rows(), set.cols(), set.vocab());
    }
}

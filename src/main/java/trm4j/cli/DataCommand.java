package trm4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;


import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import trm4j.data.ArcReader;
import trm4j.data.ArcSets;
import trm4j.data.ArcTask;
import trm4j.data.DataError;
import trm4j.data.Grid;
import trm4j.data.Maze;
import trm4j.data.NQueens;
import trm4j.data.PuzzleSet;
import trm4j.data.Sudoku;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Read, check, draw and generate datasets.",
        subcommands = {DataCommand.Download.class, DataCommand.Stats.class, DataCommand.Show.class, DataCommand.Generate.class})
final class DataCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = {"Download a public ARC set, pinned to a commit and checked file by file against pinned SHA-256 sums.",
                    "The archive resumes after an interruption (run the command again); the set appears in DIR/NAME only once every "
                    + "file matched. Sudoku-Extreme and Maze-30x30-hard are not pinned yet."})
    static final class Download implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "arc-agi-1, arc-agi-2 (its training split), conceptarc, 1d-arc or mini-arc") String name;
        @Option(names = "--to", defaultValue = "data", paramLabel = "DIR", description = "the folder the presets' data.root names (default ${DEFAULT-VALUE})") Path to;
        @Option(names = "--mirror", paramLabel = "URL", description = "a copy of " + trm4j.data.Downloads.DEFAULT_HOST
                + " (the same paths: URL/OWNER/REPO/zip/COMMIT); default: $" + trm4j.data.Downloads.MIRROR_VARIABLE + ", else GitHub") String mirror;

        @Override
        public Integer call() throws Exception {
            trm4j.data.Downloads.Source source = trm4j.data.Downloads.source(name);
            trm4j.Outputs.folder(to, "--to");
            String host = mirror != null ? mirror : System.getenv().getOrDefault(trm4j.data.Downloads.MIRROR_VARIABLE, trm4j.data.Downloads.DEFAULT_HOST);
            trm4j.run.Reporter bars = trm4j.run.Reporter.stderr();
            trm4j.data.Downloads.Outcome o = trm4j.data.Downloads.fetch(source, java.nio.file.Files.createDirectories(to), host,
                    n -> bars.progress("download " + name, n, 0, "bytes", ""), n -> bars.progress("check " + name, n, source.sha256().size(), "files", ""));
            System.out.printf("%s: %d files %s %s@%s in %s%n", name, o.files(), o.alreadyThere() ? "already there, matching" : "downloaded from",
                    source.repo(), source.commit().substring(0, 7), o.folder());
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Task, pair and grid-size counts of an ARC set; bad files are listed.")
    static final class Stats implements Callable<Integer> {
        @Parameters(paramLabel = "SET", description = "arc-agi-1, arc-agi-2, conceptarc, mini-arc or 1d-arc") String set;
        @Option(names = "--root", defaultValue = "data", description = "folder holding the sets, as the presets' data.root (default ${DEFAULT-VALUE})") Path root;

        @Override
        public Integer call() {
            int bad = 0;
            System.out.printf("%-28s %6s %11s %10s %8s %8s%n", "split", "tasks", "train pairs", "test pairs", "max rows", "max cols");
            for (Map.Entry<String, ArcReader.Result> e : ArcSets.read(set, root).entrySet()) {
                List<ArcTask> tasks = e.getValue().tasks();
                int train = 0, test = 0, rows = 0, cols = 0;
                for (ArcTask t : tasks) {
                    train += t.train().size();
                    test += t.test().size();
                    for (List<ArcTask.Pair> ps : List.of(t.train(), t.test()))
                        for (ArcTask.Pair p : ps)
                            for (Grid g : new Grid[] {p.input(), p.output()})
                                if (g != null) {
                                    rows = Math.max(rows, g.rows());
                                    cols = Math.max(cols, g.cols());
                                }
                }
                System.out.printf("%-28s %6d %11d %10d %8d %8d%n", set + "/" + e.getKey(), tasks.size(), train, test, rows, cols);
                for (String err : e.getValue().errors()) System.err.println("trm4j: " + err);
                bad += e.getValue().errors().size();
            }
            if (bad > 0) {
                System.err.println("trm4j: " + bad + " bad file(s) in " + set);
                return Main.USER_ERROR;
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Draw an ARC task in the terminal (ANSI colours) or as a PNG.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "TASK.json") Path file;
        @Option(names = "--png", paramLabel = "FILE", description = "write the task as an image instead") Path png;
        @Option(names = "--max-cols", defaultValue = "96", description = "longest row accepted (default ${DEFAULT-VALUE}, for 1D-ARC)") int maxCols;


        @Override
        public Integer call() throws Exception {
            if (png != null) trm4j.Outputs.file(png, "--png");
            ArcTask task = new ArcReader(maxCols).readTask(file, file.toString());
            if (png != null) {
                trm4j.report.TaskImages.write(trm4j.report.TaskImages.pairs(task), png);
                System.out.println("wrote " + png);
                return 0;
            }
            int i = 0;
            for (ArcTask.Pair p : task.train()) print("train " + i++, p);
            i = 0;
            for (ArcTask.Pair p : task.test()) print("test " + i++, p);
            return 0;
        }

        private static void print(String title, ArcTask.Pair p) {
            System.out.println(title + ":");
            Grid in = p.input(), out = p.output();
            int rows = Math.max(in.rows(), out == null ? 0 : out.rows());
            for (int r = 0; r < rows; r++) {
                StringBuilder line = new StringBuilder("  ");
                row(line, in, r);
                line.append("   ");
                if (out != null) row(line, out, r);
                System.out.println(line);
            }
        }

        /** Colours on a terminal unless NO_COLOR is set (no-color.org); digits otherwise, so pipes stay readable. */
        private static final boolean COLOUR = System.console() != null && System.getenv("NO_COLOR") == null;

        private static void row(StringBuilder sb, Grid g, int r) {
            for (int c = 0; c < g.cols(); c++) {
                if (r >= g.rows()) { sb.append("  "); continue; }
                int colour = g.get(r, c), rgb = trm4j.report.TaskImages.PALETTE[colour];
                sb.append(COLOUR ? String.format("\u001b[48;2;%d;%d;%dm  ", rgb >> 16, (rgb >> 8) & 255, rgb & 255) : colour + " ");
            }
            if (COLOUR) sb.append("\u001b[0m");
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a puzzle dataset file: sudoku, maze or nqueens. The same seed gives the same bytes.")
    static final class Generate implements Callable<Integer> {
        @Parameters(paramLabel = "KIND", description = "sudoku, maze or nqueens") String kind;
        @Option(names = "--count", required = true, description = "puzzles to generate") int count;
        @Option(names = "--seed", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})") long seed;
        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "the file to write: trm4j's binary puzzle-set format (a JSON header, then the inputs and labels as token bytes; read by 'train --train-file')") Path out;
        @Option(names = "--size", description = "sudoku side 4, 6 or 9 (default 9); maze side (default 30)") Integer size;
        @Option(names = "--min-clues", defaultValue = "0", description = "sudoku: stop removing clues at this count (default: as few as uniqueness allows)") int minClues;
        @Option(names = "--min-effort", defaultValue = "0", description = "sudoku: least solver search nodes a puzzle must need") long minEffort;
        @Option(names = "--min-path", description = "maze: least steps of the shortest path (default 110 for 30x30, else 3 x side)") Integer minPath;

        @Override
        public Integer call() throws Exception {
            if (count < 1) throw new DataError("--count must be at least 1");
            trm4j.Outputs.file(out, "--out");
            PuzzleSet set;
            switch (kind) {
                case "sudoku": set = new Sudoku(size == null ? 9 : size).generate(count, seed, minClues, minEffort); break;
                case "maze": {
                    int n = size == null ? 30 : size;
                    if (n < 5) throw new DataError("--size: a maze needs a side of at least 5");
                    set = Maze.generate(count, seed, n, minPath != null ? minPath : n == 30 ? 110 : 3 * n);
                    break;
                }
                case "nqueens": set = NQueens.generate(count, seed, Set.of()); break;
                default: throw new DataError("unknown kind '" + kind + "' (sudoku, maze or nqueens)");
            }
            set.write(out);
            System.out.printf("wrote %s: %d %s puzzles, %dx%d, vocabulary %d%n", out, set.size(), set.kind(), set.rows(), set.cols(), set.vocab());
            return 0;
        }
    }
}

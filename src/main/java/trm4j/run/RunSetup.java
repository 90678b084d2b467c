package trm4j.run;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.UserError;
import trm4j.config.DataConfig;
import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.Datasets;

/**
 * A run's three configurations read from one preset document, and its data (generated, or read from the puzzle files
 * the document records). The model's puzzle-embedding table is sized by the data; its sequence length and vocabulary
 * must match it.
 */
public record RunSetup(ObjectNode doc, ModelConfig model, DataConfig dataConfig, TrainConfig train, Datasets.Data data) {

    /** @param files puzzle sets to read instead of generating them, or null */
    public static RunSetup of(ObjectNode doc, String where, Datasets.PuzzleFiles files) {
        return of(doc, where, files, null);
    }

    /**
     * @param files       puzzle sets to read instead of generating them (recorded in the document's {@code "files"}), or
     *                    null: those the document records, if any (a run started from files resumes and is evaluated on them)
     * @param identifiers a reference dataset's identifiers.json for ARC data (its versions and ids), or null
     */
    public static RunSetup of(ObjectNode doc, String where, Datasets.PuzzleFiles files, Path identifiers) {
        DataConfig dc = Presets.dataOf(doc, where);
        TrainConfig tc = Presets.trainOf(doc, where);
        ModelConfig mc = Presets.modelOf(doc, where);
        tc.method().fits(mc, where);
        Datasets.PuzzleFiles read = files != null ? files : recorded(doc, where, dc);
        if (read != null) record(doc, read);   // absolute: a run resumed or evaluated from another folder finds them
        Datasets.Data data = read != null ? Datasets.files(dc, read) : Datasets.load(dc, identifiers);
        checkFits(mc, data, where);
        if (tc.epochs() > 0) {   // the references count epochs: the steps follow from the data
            ((ObjectNode) doc.get("train")).put("steps", TrainConfig.stepsOf(tc.epochs(), data.train().epochSize(), tc.batch(),
                    tc.method().stepsPerBatch(mc)));
            tc = Presets.trainOf(doc, where);
        }
        if (mc.puzzleIds() != data.puzzleIds()) {
            ((ObjectNode) doc.get("model")).put("puzzle_ids", data.puzzleIds());
            mc = mc.withPuzzleIds(data.puzzleIds());
        }
        return new RunSetup(doc, mc, dc, tc, data);
    }

    /** Where a run's document records its puzzle files: {@code files.train_file}, ... ({@code --set test_file=PATH} moves one). */
    static final String FILES = "files";
    static final String[] SPLITS = {"train", "test", "validation"};

    private static void record(ObjectNode doc, Datasets.PuzzleFiles f) {
        ObjectNode files = doc.get(FILES) instanceof ObjectNode o ? o : doc.putObject(FILES);   // a validation file not read now stays recorded
        Path[] paths = {f.train(), f.test(), f.validation()};
        for (int i = 0; i < SPLITS.length; i++) if (paths[i] != null) files.put(SPLITS[i] + "_file", paths[i].toAbsolutePath().normalize().toString());
    }

    /** The puzzle files a document records, or null; a file that is gone is named (the validation file only when used). */
    private static Datasets.PuzzleFiles recorded(ObjectNode doc, String where, DataConfig dc) {
        if (!(doc.get(FILES) instanceof ObjectNode files)) {
            if (doc.has(FILES)) throw new UserError(where + ": files: expected an object {train_file, test_file, validation_file}");
            return null;
        }
        Path[] paths = new Path[SPLITS.length];
        for (int i = 0; i < SPLITS.length; i++) {
            String field = SPLITS[i] + "_file";
            JsonNode v = files.get(field);
            if (i == 2 && (v == null || dc instanceof DataConfig.Puzzles p && p.validation() == 0)) continue;   // no validation file, or none read
            if (v == null || !v.isTextual()) throw new UserError(where + ": files." + field + ": expected the path of a puzzle set");
            try {
                paths[i] = Path.of(v.asText());
            } catch (InvalidPathException e) {
                throw new UserError(where + ": files." + field + ": not a path (" + e.getReason() + ")");
            }
            if (!Files.isRegularFile(paths[i]))
                throw new UserError(where + ": files." + field + " " + paths[i] + ": no such file (the run read its " + SPLITS[i]
                        + " puzzles from it; the override " + field + "=PATH, --set on the command line, says where it is now)");
        }
        return new Datasets.PuzzleFiles(paths[0], paths[1], paths[2]);
    }

    /** The model's sequence length and vocabulary against the data's, both named in one line when both differ. */
    private static void checkFits(ModelConfig mc, Datasets.Data data, String where) {
        List<String> is = new ArrayList<>(), needs = new ArrayList<>(), set = new ArrayList<>();
        if (mc.seqLen() != data.seqLen()) {
            is.add("model.seq_len is " + mc.seqLen());
            needs.add("has " + data.seqLen() + " cells");
            set.add("seq_len=" + data.seqLen());
        }
        if (mc.vocabSize() != data.vocab()) {
            is.add("model.vocab_size is " + mc.vocabSize());
            needs.add("needs a vocabulary of " + data.vocab());
            set.add("vocab_size=" + data.vocab());
        }
        if (!is.isEmpty())
            throw new UserError(where + ": " + String.join(" and ", is) + " but the " + data.kind() + " data " + String.join(" and ", needs)
                    + " (set " + String.join(" and ", set) + ")");
    }
}

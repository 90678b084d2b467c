package trm4j.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.UserError;
import trm4j.config.DataConfig;
import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.Datasets;

/**
 * A run's three configurations read from one preset document, and its data. The model's
 * puzzle-embedding table is sized by the data; its sequence length and vocabulary must match it.
 */
public record RunSetup(ObjectNode doc, ModelConfig model, DataConfig dataConfig, TrainConfig train, Datasets.Data data) {

    /** @param files puzzle sets to read instead of generating them, or null */
    public static RunSetup of(ObjectNode doc, String where, Datasets.PuzzleFiles files) {
        return of(doc, where, files, null);
    }

    /** @param identifiers a reference dataset's identifiers.json for ARC data (its versions and ids), or null */
    public static RunSetup of(ObjectNode doc, String where, Datasets.PuzzleFiles files, Path identifiers) {
        DataConfig dc = Presets.dataOf(doc, where);
        TrainConfig tc = Presets.trainOf(doc, where);
        ModelConfig mc = Presets.modelOf(doc, where);
        tc.method().fits(mc, where);
        Datasets.Data data = files != null ? Datasets.files(dc, files) : Datasets.load(dc, identifiers);
        checkFits(mc, data, where);
        if (tc.epochs() > 0) {   // the references count epochs: the steps follow from the data
            ((ObjectNode) doc.get("train")).put("steps", TrainConfig.stepsOf(tc.epochs(), data.train().epochSize(), tc.batch()));
            tc = Presets.trainOf(doc, where);
        }
        if (mc.puzzleIds() != data.puzzleIds()) {
            ((ObjectNode) doc.get("model")).put("puzzle_ids", data.puzzleIds());
            mc = mc.withPuzzleIds(data.puzzleIds());
        }
        return new RunSetup(doc, mc, dc, tc, data);
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

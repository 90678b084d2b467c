package trm4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import trm4j.UserError;
import trm4j.config.Method;
import trm4j.model.Inference;

/** Each selection rule on hand-made answers: 4 samples of one puzzle of 2 cells over 3 steps. */
class SelectionTest {
    private static final Method TRM = new Method.Trm(0.5, 0.1, 0), DIS = new Method.Dis(Method.Feed.PREDICTION, Method.StepWeights.EQUAL, 0);
    // last answers: samples 0 and 2 say (1,1), sample 1 says (2,2), sample 3 says (3,3)
    private static final byte[][][] PREDICTIONS = {
            {{1, 1}, {2, 2}, {3, 3}, {3, 3}},
            {{1, 1}, {2, 2}, {1, 1}, {3, 3}},
            {{1, 1}, {2, 2}, {1, 1}, {3, 3}}};
    // q_halt per step: sample 3 turns positive first (step 1), sample 1 is surest at the end
    private static final double[][] Q = {{-1, -1, -1, -1}, {-1, -1, -1, 2}, {1, 4, 0.5, 2}};
    // cell probabilities of the last answers: sample 3 surest
    private static final double[] CELLS = {0.6, 0.6, 0.7, 0.7, 0.5, 0.5, 0.9, 0.9};
    private static final Inference.Answer A = new Inference.Answer(PREDICTIONS, Q, CELLS);

    @Test
    void voteTakesTheAnswerMostSamplesEndWith() {
        Selection.Choice c = Selection.VOTE.pick(A, 0, 4, TRM);
        assertEquals(new Selection.Choice(0, 2, 2), c, "samples 0 and 2 agree");
    }

    @Test
    void aTiedVoteGoesToTheSurerAnswer() {
        byte[][][] tied = {{{1, 1}, {2, 2}}, {{1, 1}, {2, 2}}};
        Inference.Answer a = new Inference.Answer(tied, new double[][] {{0, 0}, {-1, 3}}, new double[] {0.9, 0.9, 0.2, 0.2});
        assertEquals(1, Selection.VOTE.pick(a, 0, 2, TRM).sample(), "TRM: the higher sigmoid(q_halt)");
        assertEquals(0, Selection.VOTE.pick(a, 0, 2, DIS).sample(), "DIS: the higher mean cell probability");
    }

    @Test
    void haltTakesTheSurestHaltingHead() {
        assertEquals(new Selection.Choice(1, 2, 1), Selection.HALT.pick(A, 0, 4, TRM));
    }

    @Test
    void firstHaltTakesTheAnswerOfTheSampleThatHaltsFirstAtThatStep() {
        assertEquals(new Selection.Choice(3, 1, 1), Selection.FIRST_HALT.pick(A, 0, 4, TRM));
    }

    @Test
    void confidenceTakesTheSurestCells() {
        assertEquals(new Selection.Choice(3, 2, 1), Selection.CONFIDENCE.pick(A, 0, 4, DIS));
    }

    @Test
    void theSecondPuzzleIsReadFromItsOwnRows() {
        byte[][][] two = {{{5, 5}, {1, 1}, {2, 2}, {2, 2}}};
        Inference.Answer a = new Inference.Answer(two, new double[][] {{0, 0, 0, 0}}, new double[] {0, 0, 0, 0, 0, 0, 0, 0});
        assertEquals(new Selection.Choice(0, 0, 1), Selection.VOTE.pick(a, 0, 2, TRM));
        assertEquals(new Selection.Choice(0, 0, 2), Selection.VOTE.pick(a, 1, 2, TRM), "puzzle 1's samples agree");
    }

    @Test
    void theHaltingRulesNeedAHaltingHead() {
        UserError e = assertThrows(UserError.class, () -> Selection.HALT.checkFor(DIS, "--select"));
        assertEquals("--select: 'halt' needs a halting head, and a DIS model has none (vote or confidence)", e.getMessage());
        assertEquals(Selection.VOTE, Selection.VOTE.checkForArc(false));
        assertEquals("select: an ARC task's answers vote over its versions and samples, not 'confidence'",
                assertThrows(UserError.class, () -> Selection.CONFIDENCE.checkForArc(false)).getMessage());
        assertEquals("augment: an ARC task's versions are its augmentations already: leave it out (versions sets how many)",
                assertThrows(UserError.class, () -> Selection.VOTE.checkForArc(true)).getMessage());
    }
}

package trm4j.api;

import java.util.List;

/**
 * An ARC task answered: for each test input, two attempts voted over the task's augmented
 * versions (identical grids pool their votes), as the ARC Prize scores them.
 *
 * @param tests  per test input, in order
 * @param millis the time the answer took
 */
public record ArcSolution(String taskId, List<TestAnswer> tests, long millis) {
    /**
     * @param attempt1 the most voted grid (a 1x1 black grid when no version gave one)
     * @param attempt2 the next one (or, when every version agreed, the latest other answer of an earlier step)
     * @param votes    answers that voted for attempt 1: one per version, or one per sample of each version ({@link SolveOptions})
     * @param steps    the untransformed version's answer after each supervision step (null where it gave no grid)
     * @param halting  per step, that version's sigmoid(q_halt) for a TRM model; empty for a DIS model, which has no halting head
     * @param correct  whether attempt 1 or 2 is the known test output; null when it is not known
     */
    public record TestAnswer(int[][] attempt1, int[][] attempt2, int votes, int versions, List<int[][]> steps, double[] halting,
                             Boolean correct) {}
}

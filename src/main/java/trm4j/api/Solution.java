package trm4j.api;

import java.util.List;

/**
 * A puzzle answered: the answer after every supervision step (DIS trains each step to come a
 * little closer to it), the final answer, and for a TRM model per step its halting head's
 * confidence sigmoid(q_halt) that the answer is complete.
 *
 * @param steps   the board after step s = 1..N_sup (index s - 1)
 * @param answer  the board after the last step
 * @param halting per step, in [0, 1], for a TRM model; empty for a DIS model, which has no halting head
 * @param millis  the time the answer took
 */
public record Solution(List<int[][]> steps, int[][] answer, double[] halting, long millis) {}

package trm4j.api;

import java.util.List;

/**
 * A puzzle answered: the answer after every supervision step (DIS trains each step to come a
 * little closer to it), the final answer, and for a TRM model per step its halting head's
 * confidence sigmoid(q_halt) that the answer is complete. With sampled trajectories
 * ({@link SolveOptions}) these are the chosen trajectory's, and every sample's steps are kept.
 *
 * @param steps   the board after step s = 1..N_sup (index s - 1)
 * @param answer  the answer: the board after the last step (for {@link SolveOptions.Select#FIRST_HALT}, after the step it halted)
 * @param halting per step, in [0, 1], for a TRM model; empty for a DIS model, which has no halting head
 * @param millis  the time the answer took
 * @param samples every trajectory's boards after each step (one for the deterministic answer)
 * @param chosen  the index of the chosen trajectory in {@code samples}
 * @param agree   how many trajectories end with the chosen one's last board
 * @param valid   whether the answer solves the board by the kind's rules, whatever its known answer (a board a person
 *                edited has none); null for a kind that has no rules to judge by ({@code PuzzleKind.validity})
 */
public record Solution(List<int[][]> steps, int[][] answer, double[] halting, long millis, List<List<int[][]>> samples, int chosen, int agree,
                       Boolean valid) {}

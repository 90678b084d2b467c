package trm4j.api;

/**
 * A puzzle of a model's kind and size, with its answer (see {@link TaskKind} for how boards are
 * written): generated like the model's training data, from a seed.
 */
public record Puzzle(int[][] board, int[][] answer) {}

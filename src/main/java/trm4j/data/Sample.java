package trm4j.data;

/**
 * One example as tokens: input and label of equal length (label PAD = a position the loss
 * ignores) and its puzzle id (0 = the shared or blank embedding).
 */
public record Sample(byte[] input, byte[] label, int puzzleId) {}

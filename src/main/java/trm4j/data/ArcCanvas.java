package trm4j.data;

import java.util.List;
import java.util.Random;

/**
 * ARC grids as token sequences (docs/METHOD.md section 1): the grid at (top, left) of a canvas of PAD,
 * colour c as token c+2, an EOS row below it and an EOS column right of it where they fit (the
 * corner stays PAD). The canvas is 30x30 for ARC and 1 x L for 1D-ARC.
 */
public final class ArcCanvas {
    public static final byte PAD = 0, EOS = 1, COLOUR0 = 2;
    public static final int VOCAB = 12;

    /** How a page draws ARC grids: colours 0..9 as the ARC Prize draws them, painted; digits on the palette keep them legible. */
    public static final BoardLook LOOK = new BoardLook(9, List.of(colour(0, "#000", "#888"), colour(1, "#0074d9", "#fff"), colour(2, "#ff4136", "#fff"),
            colour(3, "#2ecc40", "#000"), colour(4, "#ffdc00", "#000"), colour(5, "#aaaaaa", "#000"), colour(6, "#f012be", "#fff"),
            colour(7, "#ff851b", "#000"), colour(8, "#7fdbff", "#000"), colour(9, "#870c25", "#fff")), 0, 0, true);

    private ArcCanvas() {}

    public static byte[] encode(Grid g, int top, int left, int rows, int cols) {
        if (top + g.rows() > rows || left + g.cols() > cols)
            throw new IllegalArgumentException(g.rows() + "x" + g.cols() + " grid at (" + top + "," + left + ") leaves a " + rows + "x" + cols + " canvas");
        byte[] t = new byte[rows * cols];
        for (int r = 0; r < g.rows(); r++)
            for (int c = 0; c < g.cols(); c++) t[(top + r) * cols + left + c] = (byte) (g.get(r, c) + COLOUR0);
        int below = top + g.rows(), right = left + g.cols();
        if (below < rows) for (int c = left; c < right; c++) t[below * cols + c] = EOS;
        if (right < cols) for (int r = top; r < below; r++) t[r * cols + right] = EOS;
        return t;
    }

    /**
     * A random offset for a training pair, the same for input and output, bounded so that both
     * grids fit on the canvas (docs/METHOD.md: evaluation inputs are not translated).
     */
    public static int[] translation(ArcTask.Pair pair, int rows, int cols, Random rnd) {
        int h = Math.max(pair.input().rows(), pair.output() == null ? 0 : pair.output().rows());
        int w = Math.max(pair.input().cols(), pair.output() == null ? 0 : pair.output().cols());
        return new int[] {rnd.nextInt(rows - h + 1), rnd.nextInt(cols - w + 1)};
    }

    /**
     * The largest rectangle anchored at the top-left corner whose cells are all colours, or null
     * when the corner itself is not a colour (the model predicted no grid).
     */
    public static Grid decode(byte[] tokens, int rows, int cols) {
        int bestArea = 0, bestH = 0, bestW = 0, width = cols;
        for (int h = 1; h <= rows; h++) {
            int run = 0;
            while (run < width && tokens[(h - 1) * cols + run] >= COLOUR0) run++;
            width = run;   // the rectangle of height h is as wide as its narrowest row
            if (width == 0) break;
            if (h * width > bestArea) {
                bestArea = h * width;
                bestH = h;
                bestW = width;
            }
        }
        if (bestArea == 0) return null;
        byte[] cells = new byte[bestH * bestW];
        for (int r = 0; r < bestH; r++)
            for (int c = 0; c < bestW; c++) cells[r * bestW + c] = (byte) (tokens[r * cols + c] - COLOUR0);
        return new Grid(bestH, bestW, cells);
    }

    private static BoardLook.Cell colour(int c, String background, String ink) {
        return new BoardLook.Cell("", String.valueOf(c), background, ink);
    }
}

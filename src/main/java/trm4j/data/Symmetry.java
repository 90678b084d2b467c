package trm4j.data;

import java.util.Random;
import java.util.stream.IntStream;

/**
 * A symmetry of a puzzle kind: cell i of the transformed board is cell {@code from[i]} of the board
 * given, its token relabelled by {@code tokens} (a permutation of the 256 byte values). A transformed
 * puzzle's answer is its answer transformed. Training draws one per visit (augmentation); sampled
 * answering gives each copy of a puzzle its own and maps the copy's answer back ({@link #invert}).
 */
public record Symmetry(int[] from, byte[] tokens) {
    public Symmetry {
        if (tokens.length != 256) throw new IllegalArgumentException("a token map has 256 entries, not " + tokens.length);
        // A kind's symmetry that is no permutation would turn answers back wrong without a sign.
        boolean[] cell = new boolean[from.length], token = new boolean[256];
        for (int f : from) {
            if (f < 0 || f >= from.length || cell[f]) throw new IllegalArgumentException("a symmetry's cells must be a permutation of 0.." + (from.length - 1));
            cell[f] = true;
        }
        for (byte t : tokens) {
            if (token[t & 0xFF]) throw new IllegalArgumentException("a symmetry's token map must be a permutation");
            token[t & 0xFF] = true;
        }
    }

    /** The symmetry that changes nothing on boards of {@code cells} cells. */
    public static Symmetry identity(int cells) {
        return of(IntStream.range(0, cells).toArray(), new byte[0]);
    }

    /** One of the 8 dihedral transforms of a side x side board, drawn from {@code rnd}. */
    public static Symmetry dihedral(int side, Random rnd) {
        return of(Grid.dihedralSources(side, side, rnd.nextInt(8)), new byte[0]);
    }

    /** Cells moved as {@code from} says, token t relabelled to {@code relabel[t]} (tokens past its end keep theirs). */
    public static Symmetry of(int[] from, byte[] relabel) {
        byte[] map = new byte[256];
        for (int t = 0; t < 256; t++) map[t] = t < relabel.length ? relabel[t] : (byte) t;
        return new Symmetry(from, map);
    }

    public byte[] apply(byte[] board) {
        byte[] out = new byte[from.length];
        for (int i = 0; i < from.length; i++) out[i] = tokens[board[from[i]] & 0xFF];
        return out;
    }

    /** The board this symmetry maps to {@code board}: what a copy's answer is in the puzzle given. */
    public byte[] invert(byte[] board) {
        byte[] back = new byte[256];
        for (int t = 0; t < 256; t++) back[tokens[t] & 0xFF] = (byte) t;
        byte[] out = new byte[from.length];
        for (int i = 0; i < from.length; i++) out[from[i]] = back[board[i] & 0xFF];
        return out;
    }
}

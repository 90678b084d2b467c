package trm4j.data;

import java.util.Arrays;

/** An ARC grid: rows x cols colours 0..9, row-major. Immutable. */
public record Grid(int rows, int cols, byte[] cells) {
    public Grid {
        if (rows < 1 || cols < 1 || cells.length != rows * cols)
            throw new IllegalArgumentException(rows + "x" + cols + " grid with " + cells.length + " cells");
    }

    /** A grid of colours 0..9 as people write it (its cells named as JSON indexes them, {@code where[r][c]}), checked (not ragged, not empty, at most {@code maxSide} a side); {@code where} names it in messages. */
    public static Grid checked(int[][] rows, int maxRows, int maxCols, String where) {
        if (rows == null || rows.length == 0) throw new DataError(where + ": empty grid");
        if (rows.length > maxRows) throw new DataError(where + ": " + rows.length + " rows, at most " + maxRows);
        int cols = rows[0] == null ? 0 : rows[0].length;
        if (cols == 0) throw new DataError(where + "[0]: empty");
        if (cols > maxCols) throw new DataError(where + ": " + cols + " columns, at most " + maxCols);
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null || rows[r].length != cols)
                throw new DataError(where + "[" + r + "]: " + (rows[r] == null ? 0 : rows[r].length) + (rows[r] != null && rows[r].length == 1 ? " cell" : " cells")
                        + ", expected " + cols + " as in row 0");
            for (int c = 0; c < cols; c++)
                if (rows[r][c] < 0 || rows[r][c] > 9) throw new DataError(where + "[" + r + "][" + c + "]: colour " + rows[r][c] + " is outside 0..9");
        }
        return of(rows);
    }

    public static Grid of(int[][] rows) {
        byte[] cells = new byte[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++)
            for (int c = 0; c < rows[0].length; c++) cells[r * rows[0].length + c] = (byte) rows[r][c];
        return new Grid(rows.length, rows[0].length, cells);
    }

    public int get(int r, int c) {
        return cells[r * cols + c];
    }

    public int[][] toArray() {
        int[][] a = new int[rows][cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) a[r][c] = get(r, c);
        return a;
    }

    /**
     * The dihedral transform {@code id}: 0 identity, 1 rot90 (counter-clockwise), 2 rot180, 3 rot270,
     * 4 flip left-right, 5 flip up-down, 6 transpose, 7 anti-transpose (the reference's numbering).
     */
    public Grid dihedral(int id) {
        boolean swap = id == 1 || id == 3 || id == 6 || id == 7;
        int[] from = dihedralSources(rows, cols, id);
        byte[] out = new byte[cells.length];
        for (int i = 0; i < out.length; i++) out[i] = cells[from[i]];
        return new Grid(swap ? cols : rows, swap ? rows : cols, out);
    }

    /** For each cell of the transform {@code id} of a rows x cols grid, row-major, the cell of the grid it comes from. */
    public static int[] dihedralSources(int rows, int cols, int id) {
        boolean swap = id == 1 || id == 3 || id == 6 || id == 7;
        int nr = swap ? cols : rows, nc = swap ? rows : cols;
        int[] from = new int[rows * cols];
        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++) {
                int sr, sc;
                switch (id) {
                    case 0: sr = r; sc = c; break;
                    case 1: sr = c; sc = cols - 1 - r; break;             // np.rot90(k=1)
                    case 2: sr = rows - 1 - r; sc = cols - 1 - c; break;
                    case 3: sr = rows - 1 - c; sc = r; break;
                    case 4: sr = r; sc = cols - 1 - c; break;
                    case 5: sr = rows - 1 - r; sc = c; break;
                    case 6: sr = c; sc = r; break;
                    case 7: sr = rows - 1 - c; sc = cols - 1 - r; break;  // fliplr(rot90)
                    default: throw new IllegalArgumentException("dihedral id " + id);
                }
                from[r * nc + c] = sr * cols + sc;
            }
        return from;
    }

    /** The id whose transform undoes transform {@code id}. */
    public static int inverseDihedral(int id) {
        return new int[] {0, 3, 2, 1, 4, 5, 6, 7}[id];
    }

    /** Every colour c replaced by {@code map[c]}. */
    public Grid recolour(byte[] map) {
        byte[] out = new byte[cells.length];
        for (int i = 0; i < cells.length; i++) out[i] = map[cells[i]];
        return new Grid(rows, cols, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && g.rows == rows && g.cols == cols && Arrays.equals(g.cells, cells);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(cells);
    }

    @Override
    public String toString() {
        return rows + "x" + cols + Arrays.deepToString(toArray());
    }
}

package trm4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * How a page draws a kind's boards: a look per cell value, from 0 to the largest value an answer
 * may hold, and the boxes drawn over the board, if any.
 *
 * @param maxGiven the largest value a person may give (the palette's last)
 * @param cells    value v's look at index v
 * @param boxRows  rows of a box outlined on the board (Sudoku's), or 0 for none
 * @param boxCols  its columns, or 0
 * @param paint    a click on a cell sets it to the palette's value (colours, symbols); else it only selects it (digits typed)
 */
public record BoardLook(int maxGiven, List<Cell> cells, int boxRows, int boxCols, boolean paint) {
    /**
     * One value's look.
     *
     * @param text       what the cell shows ("" for none)
     * @param key        its palette button's label
     * @param background CSS colour of the cell, or null for the page's own
     * @param ink        CSS colour of its text, or null for the page's own
     */
    public record Cell(String text, String key, String background, String ink) {}

    public BoardLook {
        if (maxGiven < 0 || maxGiven >= cells.size()) throw new IllegalArgumentException("maxGiven " + maxGiven + " has no look among " + cells.size());
        cells = List.copyOf(cells);
    }

    /** Values 0..max written as digits, 0 as an empty cell. */
    public static List<Cell> digits(int max) {
        List<Cell> cells = new ArrayList<>();
        for (int v = 0; v <= max; v++) cells.add(new Cell(v == 0 ? "" : String.valueOf(v), String.valueOf(v), null, null));
        return cells;
    }
}
